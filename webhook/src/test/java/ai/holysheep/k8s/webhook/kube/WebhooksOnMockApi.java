package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.cli.Webhook;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For ITs that start webhooks against a fresh fabric8 mock API server (CRUD, plain HTTP) per test:
 * the server, an admin client for the test's own writes, and everything started, closed after the
 * test in reverse dependency order (webhooks, Vert.x, clients, server).
 */
abstract class WebhooksOnMockApi {
  static final Duration WAIT = Duration.ofSeconds(5);

  MockApiServer api;
  KubernetesClient admin;
  Vertx vertx;
  final List<Webhook> started = new ArrayList<>();
  final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeEach
  void startMockApi() {
    api = new MockApiServer();
    admin = api.client();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeEverythingStarted() throws Exception {
    for (Webhook w : started) {
      w.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    clients.forEach(KubernetesClient::close);
    admin.close();
    api.close();
  }
}
