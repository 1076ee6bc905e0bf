package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a simulator as a process: {@code java -jar holysheep-simulator.jar [--name N] [--host H]
 * [--port P] [--tls-cert F --tls-key F] [--stream-events N] [--event-delay 50ms]}. Prints {@code
 * holysheep-simulator <name> listening on <baseUrl>} once bound; exits 2 on bad arguments.
 */
public final class SimulatorMain {
  /** How long start-up may take before giving up. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  static final String USAGE =
      "usage: holysheep-simulator [--name NAME] [--host HOST] [--port PORT]"
          + " [--tls-cert PEM --tls-key PEM] [--stream-events N] [--event-delay DURATION]"
          + " [--max-recorded N]";

  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    SimulatorOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("holysheep-simulator: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Simulator simulator;
    try {
      simulator =
          Simulator.start(vertx, options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("holysheep-simulator: could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  vertx.close();
                  stopped.countDown();
                }));
    PrintStream out = System.out;
    out.println("holysheep-simulator " + options.name() + " listening on " + simulator.baseUrl());
    out.flush();
    stopped.await();
  }

  /** Parses the command line; throws IllegalArgumentException naming the bad flag. */
  static SimulatorOptions parse(String[] args) {
    SimulatorOptions options = SimulatorOptions.defaults();
    String certPath = null;
    String keyPath = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException("help requested");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + ": missing value");
      }
      String value = args[++i];
      switch (flag) {
        case "--name" -> options = options.withName(value);
        case "--host" -> options = options.withHost(value);
        case "--port" -> options = options.withPort(integer(flag, value));
        case "--tls-cert" -> certPath = value;
        case "--tls-key" -> keyPath = value;
        case "--stream-events" -> options = options.withStreamEvents(integer(flag, value));
        case "--event-delay" -> options = options.withEventDelay(SimDurations.parse(flag, value));
        case "--max-recorded" -> options = options.withMaxRecorded(integer(flag, value));
        default -> throw new IllegalArgumentException(flag + ": unknown flag");
      }
    }
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key must be given together");
    }
    return certPath == null ? options : options.withTls(certPath, keyPath);
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": \"" + value + "\" is not a whole number");
    }
  }
}
