package ai.holysheep.k8s.sidecar;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.sidecar.config.ConfigLoader;
import ai.holysheep.k8s.sidecar.gateway.GatewayCli;
import ai.holysheep.k8s.sidecar.gateway.GatewayFront;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code java -jar holysheep-sidecar.jar [--config FILE] [--listen …] [--admin-listen …]}, {@code …
 * gateway [flags]} (the same proxy as the cluster's central gateway, see {@link GatewayCli}) or
 * {@code … wait --timeout 60s}. Prints one ready line; on SIGTERM drains, then exits 0.
 */
public final class Main {
  /** Time the proxy keeps serving after SIGTERM: the app may still need it while it stops. */
  static final Duration DRAIN_WINDOW = Duration.ofSeconds(5);

  /** Bound on finishing in-flight requests and streams once the listeners stop accepting. */
  static final Duration FINISH_TIMEOUT = Duration.ofSeconds(20);

  /** Extra margin for releasing pools and timers before the process exits anyway. */
  static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

  /**
   * One line per log record (the JUL default splits every record over two lines, which log
   * pipelines turn into two events): ISO time with zone, level, logger, message, stack trace.
   */
  static final String LOG_FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n";

  /** The subcommand that runs the same proxy as the cluster's central gateway. */
  static final String GATEWAY = "gateway";

  private Main() {}

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    if (System.getProperty("vertx.cacheDirBase") == null) {
      System.setProperty("vertx.cacheDirBase", "/tmp/vertx-cache");
    }
    Map<String, String> env = System.getenv();
    if (args.length > 0 && args[0].equals("wait")) {
      System.exit(WaitCommand.run(args, env, System.out, System.err));
    }
    System.exit(run(args, env));
  }

  private static Vertx createVertx() {
    return Vertx.vertx(
        new VertxOptions()
            .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
            // The jar has one class loader: setting it as TCCL on every event-loop task is waste.
            .setDisableTCCL(true)
            .setWorkerPoolSize(2)
            .setInternalBlockingPoolSize(2)
            .setFileSystemOptions(
                new FileSystemOptions()
                    .setFileCachingEnabled(false)
                    .setClassPathResolvingEnabled(false)));
  }

  static int run(String[] args, Map<String, String> env) {
    // Vert.x start-up and config parsing each take a good part of start-up time: overlap them.
    CompletableFuture<Vertx> vertxStarting = CompletableFuture.supplyAsync(Main::createVertx);
    boolean gatewayMode = args.length > 0 && args[0].equals(GATEWAY);
    GatewayCli.Command gateway = null;
    CliArgs cli;
    HolySheepConfig config;
    try {
      if (gatewayMode) {
        gateway = GatewayCli.parse(Arrays.copyOfRange(args, 1, args.length), env);
      }
      cli = CliArgs.parse(gatewayMode ? gateway.sidecarArgs() : args, env);
      config = ConfigLoader.load(cli.configFile(), env);
    } catch (ConfigException e) {
      for (String error : e.errors()) {
        System.err.println(error);
      }
      vertxStarting.thenAccept(Vertx::close);
      return 2;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      vertxStarting.thenAccept(Vertx::close);
      return 2;
    }
    Vertx vertx = vertxStarting.join();
    SidecarOptions options =
        SidecarOptions.of(config)
            .withListen(gatewayMode ? gateway.listen() : cli.listen())
            .withAdminListen(cli.adminListen())
            .withServerInstances(Runtime.getRuntime().availableProcessors());
    if (gatewayMode) {
      try {
        options = options.withFront(GatewayFront.create(vertx, gateway.options()));
      } catch (IllegalArgumentException e) {
        System.err.println("holysheep-gateway: " + e.getMessage());
        vertx.close();
        return 2;
      }
    }
    Sidecar sidecar;
    try {
      sidecar =
          Sidecar.start(vertx, options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("holysheep-sidecar: cannot start: " + cause.getMessage());
      vertx.close();
      return 1;
    }
    System.out.println(
        (gatewayMode ? "holysheep-gateway ready listen=" : "holysheep-sidecar ready proxy=")
            + sidecar.proxyAddresses().stream()
                .map(ListenAddress::toString)
                .collect(Collectors.joining(","))
            + " admin="
            + sidecar.adminAddress()
            + " config="
            + sidecar.configHash());
    System.out.flush();
    Signals.onTerminate(() -> sidecar.shutdown(DRAIN_WINDOW, FINISH_TIMEOUT));
    CountDownLatch stopped = new CountDownLatch(1);
    sidecar.terminated().onComplete(done -> stopped.countDown());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(EXIT_MARGIN.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      // exiting anyway
    }
    return 0;
  }
}
