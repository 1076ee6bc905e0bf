package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.RecordedRequest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request targets and headers a client sends byte for byte (a raw socket: HTTP clients normalize
 * paths): refused before any key is attached, or cleaned of hop-by-hop headers.
 */
class RequestHygieneIT extends OneUpstream {
  /** Status line, headers and body of the answer to {@code head} (which must close). */
  private String raw(String head) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bed.sidecar.proxyPort())) {
      socket.setSoTimeout((int) (ProxyTestBed.AWAIT_SECONDS * 1000));
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        answer.write(buffer, 0, n);
        String text = answer.toString(StandardCharsets.UTF_8);
        if (text.contains("\r\n\r\n") && text.endsWith("}")) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static int status(String answer) {
    return Integer.parseInt(answer.substring(9, 12));
  }

  private static JsonObject error(String answer) {
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/../admin",
        "/v1/models/../../admin",
        "/v1/%2e%2e/admin",
        "/v1/.%2E/admin",
        "/v1/./models",
        "/v1/chat%2Fcompletions",
        "/v1/..%2fadmin",
        "/v1\\..\\admin"
      })
  void dotSegmentsAndEncodedSeparatorsAreRefusedBeforeAnyKeyIsAttached(String target)
      throws Exception {
    String answer =
        raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(400, status(answer), answer);
    assertEquals("invalid_request_target", error(answer).getString("code"));
    assertEquals(0, primary.requestCount());
  }

  @Test
  void anAbsoluteFormTargetIsRefused() throws Exception {
    String answer =
        raw(
            "GET http://api.example.com/v1/models HTTP/1.1\r\nHost: api.example.com\r\n"
                + "Connection: close\r\n\r\n");
    assertEquals(400, status(answer), answer);
    assertEquals(0, primary.requestCount());
  }

  @Test
  void headersNamedInConnectionAreNotForwarded() throws Exception {
    String answer =
        raw(
            "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close, X-Hop\r\n"
                + "X-Hop: hop-by-hop\r\nX-Kept: end-to-end\r\n\r\n");
    assertEquals(200, status(answer), answer);
    RecordedRequest seen = primary.received().get(0);
    assertNull(seen.header("x-hop"));
    assertEquals("end-to-end", seen.header("x-kept"));
  }

  @Test
  void aWebSocketUpgradeToTheRealtimeApiGetsAClear501() throws Exception {
    String answer =
        raw(
            "GET /v1/realtime?model=gpt-realtime HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assertEquals(501, status(answer), answer);
    JsonObject error = error(answer);
    assertEquals("websocket_not_supported", error.getString("code"));
    assertTrue(error.getString("message").contains("/v1/realtime/client_secrets"));
    assertEquals(0, primary.requestCount(), "never turned into a plain GET upstream");
  }

  @Test
  void oversizedHeadersGetA431WithAJsonBody() throws Exception {
    String answer =
        raw(
            "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\n\r\n");
    assertEquals(431, status(answer), answer);
    assertTrue(answer.contains("application/json"), answer);
    assertEquals("request_header_fields_too_large", error(answer).getString("code"));
  }
}
