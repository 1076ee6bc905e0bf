package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes under test: a simulated primary on a fixed loopback port (so it can be killed and
 * restarted where the sidecar expects it), a simulated fallback, and a real sidecar process whose
 * config names both. Child output goes to {@code <outDir>/logs/}.
 */
public final class Topology implements AutoCloseable {
  public static final String PRIMARY = "primary";
  public static final String FALLBACK = "fallback";

  /** Simulators are test equipment: small heap, quick start. */
  public static final List<String> SIMULATOR_JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m");

  /**
   * Pause before each simulated stream event: streams last about {@code 7 x 20ms}, so a kill or a
   * reset finds some of them mid-answer, as it would find real completions.
   */
  public static final String SIM_EVENT_DELAY = "20ms";

  /**
   * Requests each simulator keeps in its log. The suite reads the log a page at a time after every
   * phase (a few thousand requests), so this only needs to exceed what arrives between two reads,
   * also when the machine stretches a phase; about 2 KiB each on the simulator's heap.
   */
  public static final int SIM_MAX_RECORDED = 40_000;

  private static final Pattern SIM_READY =
      Pattern.compile("^holysheep-simulator (\\S+) listening on (\\S+)$");
  private static final Pattern SIDECAR_READY =
      Pattern.compile(
          "^holysheep-sidecar ready proxy=(\\S+?):(\\d+)\\S* admin=(\\S+):(\\d+) config=\\S+$");

  private final SidecarJvm sidecarJvm;
  private final Path simulatorJar;
  private final Path logs;
  private final int primaryPort;
  private ChildJvm primary;
  private int primaryIncarnation;
  private final ChildJvm fallback;
  private final String fallbackUrl;
  private final ChildJvm sidecar;
  private final int proxyPort;
  private final int adminPort;

  private Topology(
      SidecarJvm sidecarJvm,
      Path simulatorJar,
      Path logs,
      int primaryPort,
      ChildJvm primary,
      ChildJvm fallback,
      String fallbackUrl,
      ChildJvm sidecar,
      int proxyPort,
      int adminPort) {
    this.sidecarJvm = sidecarJvm;
    this.simulatorJar = simulatorJar;
    this.logs = logs;
    this.primaryPort = primaryPort;
    this.primary = primary;
    this.primaryIncarnation = 1;
    this.fallback = fallback;
    this.fallbackUrl = fallbackUrl;
    this.sidecar = sidecar;
    this.proxyPort = proxyPort;
    this.adminPort = adminPort;
  }

  /** Starts both simulators, then the sidecar with {@code config(primaryUrl, fallbackUrl)}. */
  public static Topology start(
      Path sidecarJar,
      Path simulatorJar,
      Path outDir,
      java.util.function.BiFunction<String, String, JsonObject> config)
      throws IOException {
    Path logs = outDir.resolve("logs");
    SidecarJvm sidecarJvm = SidecarJvm.forJar(sidecarJar);
    int primaryPort = freePort();
    ChildJvm primary = null;
    ChildJvm fallback = null;
    try {
      primary = startSim(simulatorJar, logs, PRIMARY, primaryPort);
      primary.awaitReady();
      fallback = startSim(simulatorJar, logs, FALLBACK, 0);
      String fallbackUrl = fallback.awaitReady().group(2);
      String primaryUrl = "http://127.0.0.1:" + primaryPort + "/v1";
      ChildJvm sidecar =
          ChildJvm.start(
              "sidecar",
              sidecarJvm.java(),
              sidecarJvm.flags(),
              sidecarJar,
              List.of("--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"),
              Map.of(
                  "HOLYSHEEP_CONFIG", config.apply(primaryUrl, fallbackUrl).encode(),
                  "HOLYSHEEP_API_KEY", "sk-chaos-primary",
                  "HOLYSHEEP_API_KEY_1", "sk-chaos-fallback",
                  "HOLYSHEEP_POD_NAMESPACE", "chaos"),
              logs.resolve("sidecar.log"),
              SIDECAR_READY);
      Matcher ready;
      try {
        ready = sidecar.awaitReady();
      } catch (IOException e) {
        sidecar.close();
        throw e;
      }
      return new Topology(
          sidecarJvm,
          simulatorJar,
          logs,
          primaryPort,
          primary,
          fallback,
          fallbackUrl,
          sidecar,
          Integer.parseInt(ready.group(2)),
          Integer.parseInt(ready.group(4)));
    } catch (IOException | RuntimeException e) {
      closeQuietly(primary);
      closeQuietly(fallback);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting", e);
    }
  }

  private static ChildJvm startSim(Path jar, Path logs, String name, int port) throws IOException {
    return startSim(jar, logs, name, port, SIM_MAX_RECORDED);
  }

  private static ChildJvm startSim(Path jar, Path logs, String name, int port, int maxRecorded)
      throws IOException {
    return ChildJvm.start(
        name,
        SIMULATOR_JVM_FLAGS,
        jar,
        List.of(
            "--name",
            name,
            "--port",
            Integer.toString(port),
            "--stream-events",
            Integer.toString(AnswerCheck.SIM_STREAM_EVENTS),
            "--event-delay",
            SIM_EVENT_DELAY,
            "--max-recorded",
            Integer.toString(maxRecorded)),
        Map.of(),
        logs.resolve(name + ".log"),
        SIM_READY);
  }

  /** SIGKILL to the primary simulator. */
  public void killPrimary() throws InterruptedException {
    primary.kill();
  }

  /** A new primary process on the same port; returns once it is listening. */
  public void restartPrimary() throws IOException {
    primary = startSim(simulatorJar, logs, PRIMARY, primaryPort);
    primary.awaitReady();
    primaryIncarnation++;
  }

  /** 1 for the first primary process, 2 after the first restart, and so on. */
  public int primaryIncarnation() {
    return primaryIncarnation;
  }

  public String primaryRoot() {
    return "http://127.0.0.1:" + primaryPort;
  }

  public String fallbackRoot() {
    return fallbackUrl.substring(0, fallbackUrl.length() - "/v1".length());
  }

  public int proxyPort() {
    return proxyPort;
  }

  public int adminPort() {
    return adminPort;
  }

  /** How the sidecar JVM runs (for the report and for probes that must use its JDK). */
  public SidecarJvm sidecarJvm() {
    return sidecarJvm;
  }

  public long sidecarPid() {
    return sidecar.pid();
  }

  /**
   * Writes every child's thread dump ({@code jcmd PID Thread.print}) to {@code
   * logs/NAME.threads.txt}: when a control call goes unanswered, what each process was doing says
   * whose fault it is.
   */
  public void dumpThreads() {
    StringBuilder own = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              own.append('"').append(thread.getName()).append("\" ").append(thread.getState());
              own.append('\n');
              for (StackTraceElement frame : stack) {
                own.append("\tat ").append(frame).append('\n');
              }
              own.append('\n');
            });
    try {
      java.nio.file.Files.writeString(logs.resolve("harness.threads.txt"), own);
    } catch (IOException e) {
      System.err.println("chaos: no thread dump of the harness: " + e.getMessage());
    }
    Path harnessJcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    dumpThreads(PRIMARY, primary, harnessJcmd);
    dumpThreads(FALLBACK, fallback, harnessJcmd);
    dumpThreads("sidecar", sidecar, sidecarJvm.jcmd());
  }

  private void dumpThreads(String name, ChildJvm child, Path jcmdPath) {
    try {
      Process jcmd =
          new ProcessBuilder(jcmdPath.toString(), Long.toString(child.pid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(logs.resolve(name + ".threads.txt").toFile())
              .start();
      if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
      }
    } catch (IOException e) {
      System.err.println("chaos: no thread dump of " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean sidecarAlive() {
    return sidecar.alive();
  }

  public int primaryPort() {
    return primaryPort;
  }

  public int fallbackPort() {
    return Integer.parseInt(fallbackRoot().substring(fallbackRoot().lastIndexOf(':') + 1));
  }

  @Override
  public void close() {
    closeQuietly(sidecar);
    closeQuietly(primary);
    closeQuietly(fallback);
  }

  private static void closeQuietly(ChildJvm child) {
    if (child == null) {
      return;
    }
    try {
      child.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
