package ai.holysheep.k8s.webhook.tls;

import ai.holysheep.k8s.webhook.cli.ServeOptions;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.kube.SelfSignedOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the real webhook server for integration tests: files-mode TLS, loopback, any port. */
public final class TestWebhooks {
  /** Start, warm-up included, on a machine shared with other builds. */
  public static final java.time.Duration READY_TIMEOUT = java.time.Duration.ofSeconds(30);

  private TestWebhooks() {}

  /**
   * A webhook serving the certificate in {@code tlsDir} on 127.0.0.1 and an ephemeral port, ready
   * within 10 s.
   *
   * @param client the API server, or null to run with {@code --no-kube}
   * @param extraArgs further {@code serve} flags
   */
  public static Webhook startFilesMode(
      Vertx vertx, Path tlsDir, JsonNode chartDefault, KubernetesClient client, String... extraArgs)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--cert-mode",
                "files",
                "--tls-dir",
                tlsDir.toString()));
    if (client == null) {
      args.add("--no-kube");
    }
    // one round keeps the loopback warm-up in every test without paying for four each time
    args.addAll(List.of("--warm-up-rounds", "1"));
    args.addAll(List.of(extraArgs));
    ServeOptions options = ServeOptions.parse(args.toArray(String[]::new), Map.of());
    Webhook webhook =
        Webhook.start(
                vertx,
                options,
                SelfSignedOptions.defaults(TestPki.NAMESPACE),
                chartDefault,
                client,
                Clock.systemUTC())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    if (client == null) {
      // without an API server nothing but the loopback warm-up stands between start and ready
      ai.holysheep.k8s.webhook.kube.Eventually.await(
          "ready (warm-up done)", READY_TIMEOUT, () -> webhook.readiness().waitingFor().isEmpty());
    }
    return webhook;
  }
}
