package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica is ready only after warming up through its own listener; liveness as /healthz says. */
class WarmUpIT {
  @TempDir Path dir;
  Vertx vertx;
  Webhook webhook;
  WebhookClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    webhook =
        TestWebhooks.startFilesMode(
            vertx, dir, JsonNodeFactory.instance.objectNode(), null, "--warm-up-rounds", "2");
    client = new WebhookClient(pki.trustingOnlyCa(), webhook.port());
  }

  @AfterEach
  void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void readyOnlyAfterReviewsThroughTheListenerThatTheMetricsDoNotCount() throws Exception {
    assertEquals(200, client.get("/readyz").statusCode());
    assertEquals(
        2L * LoopbackWarmUp.PARALLEL,
        webhook.server().warmUpAnswered(),
        "two rounds of parallel reviews over loopback TLS before ready");
    String metrics = client.get("/metrics").body();
    assertFalse(
        metrics.contains("holysheep_webhook_admissions_total{"),
        "no real admission was made, none is counted");
  }

  @Test
  void healthzFailsForWhatOnlyARestartRepairsAndSaysWhat() throws Exception {
    AtomicReference<String> broken = new AtomicReference<>();
    webhook.liveness().add("probe", () -> Optional.ofNullable(broken.get()));
    assertEquals("{\"status\":\"ok\"}", client.get("/healthz").body());

    broken.set("the informer of nodes stopped");
    HttpResponse<String> failing = client.get("/healthz");

    assertEquals(503, failing.statusCode());
    assertTrue(
        failing.body().contains("\"failures\":{\"probe\":\"the informer of nodes stopped\"}"),
        failing.body());
  }
}
