package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout, seen from the API server's keep-alive connections: during the drain every answer
 * closes its connection (so the API server reconnects to a replica that stays), and the shutdown
 * that follows answers what is in flight instead of cutting it.
 */
class DrainIT {
  static final Duration GRACE = Duration.ofSeconds(8);

  @TempDir Path dir;
  Vertx vertx;
  Webhook webhook;
  SSLContext trust;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    trust = pki.trustingOnlyCa();
    webhook = TestWebhooks.startFilesMode(vertx, dir, JsonNodeFactory.instance.objectNode(), null);
  }

  @AfterEach
  void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static byte[] review() {
    return WebhookClient.fixture("replicaset-pod-review.json").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void duringTheDrainEveryAnswerClosesItsKeptAliveConnection() throws Exception {
    try (RawConnection kept = new RawConnection(trust, webhook.port())) {
      RawConnection.Response before = kept.post(AdmissionServer.NAMESPACE_PATH, review()).read();
      assertEquals(200, before.status());
      assertNull(before.header("connection"), "kept alive before the drain");

      webhook.drain();
      RawConnection.Response during = kept.post(AdmissionServer.NAMESPACE_PATH, review()).read();

      assertEquals(200, during.status(), "still answered while endpoints drain");
      assertEquals("close", during.header("connection"));
      assertTrue(kept.closedByServer(RawConnection.READ_TIMEOUT), "and the connection closed");
    }
  }

  @Test
  void shutdownAnswersEveryAdmissionInFlightThenStopsAccepting() throws Exception {
    byte[] body = review();
    try (RawConnection halfSent = new RawConnection(trust, webhook.port());
        RawConnection idle = new RawConnection(trust, webhook.port())) {
      assertEquals(200, idle.post(AdmissionServer.NAMESPACE_PATH, body).read().status());
      halfSent.postHead(AdmissionServer.NAMESPACE_PATH, body.length);
      halfSent.send(Arrays.copyOf(body, body.length / 2));
      int port = webhook.port();
      // in flight for the server once it has read the head (before, it is bytes in a socket)
      ai.holysheep.k8s.webhook.kube.Eventually.await(
          "the half-sent admission has reached the server",
          RawConnection.READ_TIMEOUT,
          () -> webhook.server().inFlight() == 1);

      webhook.drain();
      Future<Void> shutdown = webhook.server().shutdown(GRACE);
      assertTrue(
          idle.closedByServer(RawConnection.READ_TIMEOUT), "an idle connection goes at once");
      assertThrows(IOException.class, () -> new RawConnection(trust, port), "no new connections");
      assertFalse(shutdown.isComplete(), "one admission is still in flight");

      halfSent.send(Arrays.copyOfRange(body, body.length / 2, body.length));
      RawConnection.Response answer = halfSent.read();

      assertEquals(200, answer.status(), answer.body());
      assertEquals("close", answer.header("connection"));
      shutdown.toCompletionStage().toCompletableFuture().get(GRACE.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
