package ai.holysheep.k8s.sidecar.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class StreamRequestsTest {

  @Test
  void detectsStreamTrue() {
    assertTrue(StreamRequests.isStream(Buffer.buffer("{\"model\":\"m\",\"stream\": true}"), null));
    assertTrue(StreamRequests.isStream(Buffer.buffer("{\"stream\"\n:\ttrue,\"x\":1}"), null));
  }

  @Test
  void ignoresStreamFalseAndQuotedText() {
    assertFalse(StreamRequests.isStream(Buffer.buffer("{\"stream\":false}"), null));
    assertFalse(
        StreamRequests.isStream(
            Buffer.buffer("{\"messages\":[{\"content\":\"say \\\"stream\\\": true\"}]}"), null));
    assertFalse(StreamRequests.isStream(Buffer.buffer(""), null));
    assertFalse(StreamRequests.isStream(null, "application/json"));
  }

  @Test
  void acceptEventStreamMeansStream() {
    assertTrue(StreamRequests.isStream(Buffer.buffer("{}"), "text/event-stream"));
  }
}
