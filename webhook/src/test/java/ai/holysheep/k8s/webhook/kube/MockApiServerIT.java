package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The mock API server itself, where it stands in for Kubernetes in every kube test: it must close
 * whatever its watch clients did last, or a test's teardown fails after its assertions passed.
 */
class MockApiServerIT {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String NAMESPACE = "watched";

  /**
   * fabric8's watch sends each event on its own thread and waits for the write; when the client
   * closes the watch, the server's event loop waited for that thread, and the write waited for the
   * event loop: the loop stalled 30 s and {@code close()} gave up after 10 s ("Unable to close
   * MockWebServer"). Seen when a webhook closed its informers while the mock was still sending them
   * the event of the webhook's own last patch; forced here by a watch client that never reads, so
   * one event's write stays pending.
   */
  @Test
  void closesAfterAClientClosedAWatchWhoseEventIsStillBeingWritten() throws Exception {
    MockApiServer api = new MockApiServer();
    try (KubernetesClient admin = api.client();
        Socket watch = new Socket()) {
      watch.setReceiveBufferSize(4096);
      watch.connect(new InetSocketAddress("127.0.0.1", api.port()), (int) WAIT.toMillis());
      watch.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = watch.getOutputStream();
      out.write(
          ("GET /api/v1/namespaces/"
                  + NAMESPACE
                  + "/configmaps?watch=true HTTP/1.1\r\n"
                  + "Host: 127.0.0.1:"
                  + api.port()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(watch.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 101"), head);

      // far more than the socket buffers on both sides hold: some event's write stays pending
      char[] blob = new char[1024 * 1024];
      Arrays.fill(blob, 'x');
      for (int i = 0; i < 12; i++) {
        admin
            .configMaps()
            .inNamespace(NAMESPACE)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("big-" + i)
                    .endMetadata()
                    .addToData("blob", new String(blob))
                    .build())
            .create();
      }
      Eventually.await(
          "an event's write pending on a watch nobody reads",
          WAIT,
          () -> someThreadIsIn("VertxMockWebSocket", "awaitWrite"));

      out.write(maskedCloseFrame());
      out.flush();
      // fabric8's own handler of the close stalled the event loop right there, for 30 s
      Eventually.await(
          "the server's handler of the client's close of the watch returning",
          WAIT,
          () -> api.watchClosesHandled() == 1);
    } finally {
      // fails with "Unable to close MockWebServer" when the close stalled the event loop
      api.close();
    }
    assertFalse(
        someThreadIsIn("VertxMockWebSocket", "awaitWrite"),
        "the pending write ended with the server");
  }

  static boolean someThreadIsIn(String className, String method) {
    return Thread.getAllStackTraces().values().stream()
        .flatMap(Arrays::stream)
        .anyMatch(
            f -> f.getClassName().endsWith("." + className) && f.getMethodName().equals(method));
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the response head: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** A client's close frame, status 1000; clients must mask what they send (RFC 6455 5.3). */
  static byte[] maskedCloseFrame() {
    byte[] mask = {1, 2, 3, 4};
    byte[] status = {(byte) (1000 >> 8), (byte) (1000 & 0xff)};
    return new byte[] {
      (byte) 0x88,
      (byte) (0x80 | status.length),
      mask[0],
      mask[1],
      mask[2],
      mask[3],
      (byte) (status[0] ^ mask[0]),
      (byte) (status[1] ^ mask[1])
    };
  }
}
