package ai.holysheep.k8s.webhook.cli;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * SIGTERM and SIGINT start the drain instead of the JVM's shutdown. The JVM's own handling runs
 * every shutdown hook at once, including java.util.logging's, which resets the log handlers while
 * the drain still logs, and ends the process with 143. Handling the signal lets the drain run with
 * logging intact, and the process exits 0 when it is over.
 */
final class Signals {
  static final List<String> TERMINATION = List.of("TERM", "INT");
  private static final System.Logger LOG = System.getLogger(Signals.class.getName());

  private Signals() {}

  /** Runs {@code action} (once per signal) on SIGTERM or SIGINT. */
  static void onTermination(Runnable action) {
    for (String name : TERMINATION) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // a platform without this signal: the JVM's default (shutdown hooks) stays
        LOG.log(Level.DEBUG, "cannot handle SIG" + name + ": " + e.getMessage());
      }
    }
  }
}
