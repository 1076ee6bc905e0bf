package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that could starve the webhook: connections that send half a request line or half a body
 * and stop, bodies that together would fill the heap, too many connections. Small limits are set by
 * flag so each bound shows within a second.
 */
class ServerLimitsIT {
  static final int MAX_CONNECTIONS = 6;
  static final int BUDGET = 256 * 1024;
  static final Duration HEAD_TIMEOUT = Duration.ofMillis(800);
  static final Duration BODY_TIMEOUT = Duration.ofMillis(800);
  static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(8);

  @TempDir static Path dir;
  static Vertx vertx;
  static Webhook webhook;
  static SSLContext trust;
  final List<RawConnection> open = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    trust = pki.trustingOnlyCa();
    webhook =
        TestWebhooks.startFilesMode(
            vertx,
            dir,
            JsonNodeFactory.instance.objectNode(),
            null,
            "--max-connections",
            String.valueOf(MAX_CONNECTIONS),
            "--max-buffered-bytes",
            String.valueOf(BUDGET),
            "--request-head-timeout",
            HEAD_TIMEOUT.toMillis() + "ms",
            "--body-read-timeout",
            BODY_TIMEOUT.toMillis() + "ms",
            "--idle-timeout",
            IDLE_TIMEOUT.toMillis() + "ms");
  }

  @AfterEach
  void closeConnections() throws Exception {
    for (RawConnection c : open) {
      c.close();
    }
    open.clear();
  }

  @AfterAll
  static void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  RawConnection connect() throws Exception {
    RawConnection connection = new RawConnection(trust, webhook.port());
    open.add(connection);
    return connection;
  }

  static byte[] review() {
    return WebhookClient.fixture("replicaset-pod-review.json").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void halfARequestLineIsClosedAfterTheHeadTimeout() throws Exception {
    RawConnection slow = connect().send("POST /mutate/name");

    assertTrue(slow.closedByServer(CLOSE_WITHIN), "a half request line still holds its socket");
  }

  @Test
  void aStalledBodyGets408AndItsConnectionClosed() throws Exception {
    RawConnection stalled = connect().postHead(AdmissionServer.NAMESPACE_PATH, 5000).send("{\"api");

    RawConnection.Response answer = stalled.read();
    assertEquals(408, answer.status(), answer.body());
    assertEquals("close", answer.header("connection"));
    assertTrue(answer.body().contains("body: not received whole within"), answer.body());
    assertTrue(stalled.closedByServer(CLOSE_WITHIN));
  }

  @Test
  void bodiesBeyondTheSharedBudgetGet429AtOnceWhileEveryoneElseIsServed() throws Exception {
    byte[] chunk = new byte[100 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    // three partial bodies of 100 KiB (64 KiB each are free), the budget holds two of them
    RawConnection first =
        connect().postHead(AdmissionServer.NAMESPACE_PATH, 1024 * 1024).send(chunk);
    RawConnection second =
        connect().postHead(AdmissionServer.NAMESPACE_PATH, 1024 * 1024).send(chunk);
    RawConnection third = connect().postHead(AdmissionServer.NAMESPACE_PATH, 1024 * 1024);
    third.send(chunk).send(chunk).send(chunk);

    RawConnection.Response refused = third.read();
    assertEquals(429, refused.status(), refused.body());
    assertEquals("1", refused.header("retry-after"));
    assertTrue(refused.body().contains("server busy"), refused.body());

    RawConnection.Response review = connect().post(AdmissionServer.NAMESPACE_PATH, review()).read();
    assertEquals(200, review.status(), "a normal review fits its free share: " + review.body());
    RawConnection health = connect().send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(200, health.read().status());
    assertEquals(408, first.read().status(), "the stalled ones end at their deadline");
    assertEquals(408, second.read().status());
  }

  @Test
  void restOfABodyRefusedAsBusyIsReadBeforeTheConnectionCloses() throws Exception {
    int length = 1024 * 1024;
    byte[] piece = new byte[16 * 1024];
    java.util.Arrays.fill(piece, (byte) ' ');
    // alone, 400 KiB are 336 KiB beyond the free share: more than the budget; the rest (624 KiB)
    // is more than the small send buffer holds, so a server that closed makes these writes fail
    RawConnection busy = new RawConnection(trust, webhook.port(), 64 * 1024);
    open.add(busy);
    busy.postHead(AdmissionServer.NAMESPACE_PATH, length);
    int sent = 0;
    for (; sent < 400 * 1024; sent += piece.length) {
      busy.send(piece);
    }

    RawConnection.Response refused = busy.read();
    assertEquals(429, refused.status(), refused.body());
    assertEquals("close", refused.header("connection"));

    for (; sent < length; sent += piece.length) {
      busy.send(piece);
    }
    assertTrue(busy.endedCleanly(CLOSE_WITHIN), "closed once the whole body was read");
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAndTheOthersKeepWorking() throws Exception {
    ai.holysheep.k8s.webhook.kube.Eventually.await(
        "earlier tests' connections closed on the server side",
        CLOSE_WITHIN,
        () -> webhook.server().openConnections() == 0);
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      connect().send("GET /heal");
    }
    RawConnection extra = connect();

    assertTrue(extra.closedByServer(CLOSE_WITHIN), "connection over the limit");
    for (RawConnection c : open.subList(0, MAX_CONNECTIONS)) {
      assertTrue(c.closedByServer(CLOSE_WITHIN), "the half requests end at the head deadline");
    }
    RawConnection.Response after =
        connect().send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").read();
    assertEquals(200, after.status(), "slots are free again once those connections are gone");
  }

  @Test
  void aKeptAliveConnectionServesRequestAfterRequest() throws Exception {
    RawConnection keepAlive = connect();
    for (int i = 0; i < 3; i++) {
      RawConnection.Response answer =
          keepAlive.post(AdmissionServer.NAMESPACE_PATH, review()).read();
      assertEquals(200, answer.status(), answer.body());
      assertFalse("close".equals(answer.header("connection")));
    }
  }

  @Test
  void aKeptAliveConnectionIdleForTheIdleTimeoutIsClosed() throws Exception {
    RawConnection kept = connect();
    assertEquals(200, kept.post(AdmissionServer.NAMESPACE_PATH, review()).read().status());

    assertTrue(kept.closedByServer(CLOSE_WITHIN), "idle for longer than the idle timeout");
  }
}
