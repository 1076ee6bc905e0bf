package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.webhook.kube.KubeClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve}: parses flags, starts a {@link Webhook}, prints a {@code listening} line and, once
 * {@code /readyz} first passes, a {@code ready} line. On SIGTERM (or SIGINT) it drains: unready at
 * once, every answer closes its connection (the API server moves to the replicas that stay), for
 * {@code --drain-delay}; then it stops accepting, lets admissions in flight finish within {@code
 * --shutdown-grace}, and exits 0.
 *
 * <p>The signal is handled here rather than in a shutdown hook: hooks run concurrently with the
 * JDK's own, and java.util.logging's resets every handler, so what was logged during the drain was
 * lost, and a JVM ended by a signal exits 143, not 0.
 */
public final class ServeCommand {
  /** Bound on closing informers and clients after the listener is gone. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** Bound on starting (listener, first Secret attempt in self mode). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  private ServeCommand() {}

  /** Exit code: 2 bad flags or config, 1 start failure, 0 after a drained shutdown. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ServeOptions options;
    JsonNode chartDefault;
    try {
      options = ServeOptions.parse(args, env);
      chartDefault = chartDefault(options);
    } catch (ConfigException e) {
      e.errors().forEach(line -> err.println("config: " + line));
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    Vertx vertx = Vertx.vertx();
    KubernetesClient client = options.noKube() ? null : KubeClients.create();
    Webhook webhook;
    try {
      webhook =
          Webhook.start(
                  vertx,
                  options,
                  options.selfSignedOptions(),
                  chartDefault,
                  client,
                  Clock.systemUTC())
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("error: webhook did not start: " + cause.getMessage());
      vertx.close();
      if (client != null) {
        client.close();
      }
      return 1;
    }
    String where =
        " port="
            + webhook.port()
            + " cert-mode="
            + options.certMode().name().toLowerCase(Locale.ROOT)
            + (options.noKube() ? " kube=off" : " kube=on");
    out.println("holysheep-webhook listening" + where);
    webhook.onReady(() -> out.println("holysheep-webhook ready" + where));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainAndClose(webhook, vertx, client, options);
    out.flush();
    return 0;
  }

  private static void drainAndClose(
      Webhook webhook, Vertx vertx, KubernetesClient client, ServeOptions options) {
    webhook.drain();
    LOG.log(
        Level.INFO,
        "SIGTERM: unready; serving for "
            + options.drainDelay()
            + " more with Connection: close on every answer");
    try {
      // the drain: endpoints controllers need this long to take the pod out of the Service
      Thread.sleep(options.drainDelay().toMillis());
      LOG.log(
          Level.INFO,
          "drain over: no new connections; waiting up to "
              + options.shutdownGrace()
              + " for "
              + webhook.server().inFlight()
              + " request(s) in flight");
      webhook
          .shutdown(options.shutdownGrace())
          .toCompletionStage()
          .toCompletableFuture()
          .get(options.shutdownGrace().plus(CLOSE_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "shutdown incomplete: " + e.getMessage());
    } finally {
      if (client != null) {
        client.close();
      }
      LOG.log(Level.INFO, "stopped");
    }
  }

  /**
   * The chart default spec; a missing default file is an empty spec, a missing explicit one an
   * error.
   */
  static JsonNode chartDefault(ServeOptions options) {
    Path file = options.configFile();
    if (!Files.exists(file)) {
      if (options.configFileExplicit()) {
        throw new IllegalArgumentException("--config: " + file + " does not exist");
      }
      LOG.log(Level.INFO, "no " + file + "; using the schema defaults as chart default");
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      JsonNode tree = ConfigParser.readTree(Files.readString(file));
      ConfigParser.parse(tree);
      return tree;
    } catch (IOException e) {
      throw new IllegalArgumentException("--config: cannot read " + file + ": " + e.getMessage());
    }
  }
}
