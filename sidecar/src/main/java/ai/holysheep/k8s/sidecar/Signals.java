package ai.holysheep.k8s.sidecar;

/**
 * SIGTERM/SIGINT handling. A JVM shutdown hook cannot choose the exit code (it is 143 after
 * SIGTERM), but Kubernetes and humans expect 0 after a clean drain, so the signals are handled
 * directly.
 */
final class Signals {
  private static final System.Logger LOG = System.getLogger(Signals.class.getName());

  private Signals() {}

  @SuppressWarnings("removal")
  static void onTerminate(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot handle SIG{0}: {1}", name, e.getMessage());
      }
    }
  }
}
