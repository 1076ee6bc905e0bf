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
    args.addAll(List.of(extraArgs));
    ServeOptions options = ServeOptions.parse(args.toArray(String[]::new), Map.of());
    return Webhook.start(
            vertx,
            options,
            SelfSignedOptions.defaults(TestPki.NAMESPACE),
            chartDefault,
            client,
            Clock.systemUTC())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
