package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body refused before it is read whole (413, 429) is answered at once, and the rest the client is
 * still sending is read and dropped before the connection closes: closing with unread bytes makes
 * the kernel reset the connection, and the client may lose the answer it has not read yet.
 */
class LingeringCloseIT {
  static final int MIB = 1024 * 1024;
  static final int PIECE = 64 * 1024;
  static final long LINGER_BYTES = 6L * MIB;
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(8);

  @TempDir static Path dir;
  static Vertx vertx;
  static SSLContext trust;

  /** Lingers long enough that a close within {@link #CLOSE_WITHIN} was not the time bound. */
  static Webhook patient;

  /** Lingers briefly: shows the time bound. */
  static Webhook hasty;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    trust = pki.trustingOnlyCa();
    patient =
        TestWebhooks.startFilesMode(
            vertx,
            dir,
            JsonNodeFactory.instance.objectNode(),
            null,
            "--linger-time",
            "60s",
            "--linger-bytes",
            String.valueOf(LINGER_BYTES));
    hasty =
        TestWebhooks.startFilesMode(
            vertx, dir, JsonNodeFactory.instance.objectNode(), null, "--linger-time", "500ms");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Webhook webhook : new Webhook[] {patient, hasty}) {
      if (webhook != null) {
        webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static byte[] junk(int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'x');
    return bytes;
  }

  static void assertTooLarge(RawConnection.Response answer) {
    assertEquals(413, answer.status(), answer.body());
    assertEquals("close", answer.header("connection"));
    assertTrue(answer.body().contains("larger than 4194304 bytes"), answer.body());
  }

  /**
   * The rest (over 5 MiB) is more than the client's socket can buffer (Linux: 4 MiB at most), so
   * against a server that closed after answering, these writes fail whatever the timing.
   */
  @Test
  void restOfABodyRefusedForItsDeclaredLengthIsReadBeforeTheConnectionCloses() throws Exception {
    int length = 5 * MIB + MIB / 2;
    try (RawConnection client = new RawConnection(trust, patient.port())) {
      client.postHead(AdmissionServer.NAMESPACE_PATH, length).send(junk(PIECE));

      assertTooLarge(client.read());

      for (int sent = PIECE; sent < length; sent += PIECE) {
        client.send(junk(Math.min(PIECE, length - sent)));
      }
      assertTrue(client.endedCleanly(CLOSE_WITHIN), "closed once the whole body was read");
    }
  }

  /** As above: the rest (5 MiB) is more than the client's socket can buffer. */
  @Test
  void restOfAChunkedBodyOverTheLimitIsReadBeforeTheConnectionCloses() throws Exception {
    try (RawConnection client = new RawConnection(trust, patient.port())) {
      client.postChunkedHead(AdmissionServer.POD_PATH);
      for (int sent = 0; sent <= 4 * MIB; sent += PIECE) {
        client.sendChunk(junk(PIECE));
      }

      assertTooLarge(client.read());

      for (int sent = 0; sent < 5 * MIB; sent += PIECE) {
        client.sendChunk(junk(PIECE));
      }
      client.sendChunk(new byte[0]);
      assertTrue(client.endedCleanly(CLOSE_WITHIN), "closed once the last chunk was read");
    }
  }

  @Test
  void aRestDeclaredLongerThanTheLingerBytesIsNotWaitedFor() throws Exception {
    try (RawConnection client = new RawConnection(trust, patient.port())) {
      client.postHead(AdmissionServer.NAMESPACE_PATH, 1L << 30);

      assertTooLarge(client.read());
      assertTrue(client.endedCleanly(CLOSE_WITHIN), "closed without waiting for 1 GiB");
    }
  }

  @Test
  void aChunkedRestIsReadUpToTheLingerBytesThenCut() throws Exception {
    long cap = LINGER_BYTES + 16L * MIB;
    long accepted = 0;
    try (RawConnection client = new RawConnection(trust, patient.port())) {
      client.postChunkedHead(AdmissionServer.POD_PATH);
      for (int sent = 0; sent <= 4 * MIB; sent += PIECE) {
        client.sendChunk(junk(PIECE));
      }
      assertTooLarge(client.read());

      try {
        while (accepted < cap) {
          client.sendChunk(junk(PIECE));
          accepted += PIECE;
        }
      } catch (IOException cut) {
        // the server stopped reading and closed: what it had not read reset the connection
      }
    }
    assertTrue(accepted < cap, "the server read " + cap + " bytes after the answer and more");
    assertTrue(
        accepted >= LINGER_BYTES, "cut after " + accepted + " bytes, before the linger bytes");
  }

  @Test
  void aClientThatStopsSendingIsClosedAfterTheLingerTime() throws Exception {
    try (RawConnection client = new RawConnection(trust, hasty.port())) {
      client.postHead(AdmissionServer.NAMESPACE_PATH, 5L * MIB).send(junk(PIECE));

      assertTooLarge(client.read());
      assertTrue(client.endedCleanly(CLOSE_WITHIN), "still open long after the linger time");
    }
  }
}
