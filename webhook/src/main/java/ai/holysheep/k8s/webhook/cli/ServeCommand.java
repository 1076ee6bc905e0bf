package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.ConfigParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve}: parses flags, starts a {@link Webhook}, prints one ready line, and on SIGTERM
 * reports unready, keeps serving for {@code --drain-delay} (so endpoints drain first), then closes.
 */
public final class ServeCommand {
  /** Bound on closing the server and informers after the drain delay. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** Bound on starting (Secret bootstrap, listener). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  private ServeCommand() {}

  /** Exit code: 2 bad flags or config, 1 start failure; blocks while serving. */
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
    Vertx vertx = Vertx.vertx();
    KubernetesClient client = options.noKube() ? null : new KubernetesClientBuilder().build();
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
    out.println(
        "holysheep-webhook ready port="
            + webhook.port()
            + " cert-mode="
            + options.certMode().name().toLowerCase(java.util.Locale.ROOT)
            + (options.noKube() ? " kube=off" : " kube=on"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> drainAndClose(webhook, vertx, client, options, stopped), "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void drainAndClose(
      Webhook webhook,
      Vertx vertx,
      KubernetesClient client,
      ServeOptions options,
      CountDownLatch stopped) {
    webhook.readiness().startDraining();
    LOG.log(Level.INFO, "SIGTERM: serving for " + options.drainDelay() + " more, then closing");
    try {
      // the drain: endpoints controllers need this long to take the pod out of the Service
      Thread.sleep(options.drainDelay().toMillis());
      webhook
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "shutdown incomplete: " + e.getMessage());
    } finally {
      if (client != null) {
        client.close();
      }
      stopped.countDown();
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
