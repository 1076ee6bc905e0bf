package ai.holysheep.k8s.sidecar.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventSplitterTest {
  private final List<SseEvent> events = new ArrayList<>();
  private static final int MAX = 1024 * 1024;
  private final SseEventSplitter splitter = new SseEventSplitter(MAX, events::add);

  @Test
  void splitsEventsAtBlankLinesKeepingRawBytes() {
    splitter.feed(Buffer.buffer("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n"));
    assertEquals(2, events.size());
    assertEquals("data: {\"a\":1}\n\n", events.get(0).raw().toString());
    assertEquals("data: {\"b\":2}\n\n", events.get(1).raw().toString());
  }

  @Test
  void joinsAnEventSplitAcrossChunks() {
    splitter.feed(Buffer.buffer("data: {\"par"));
    assertTrue(events.isEmpty());
    assertEquals(11, splitter.pendingBytes());
    splitter.feed(Buffer.buffer("t\":1}\n"));
    assertTrue(events.isEmpty());
    splitter.feed(Buffer.buffer("\ndata: x"));
    assertEquals(1, events.size());
    assertEquals("data: {\"part\":1}\n\n", events.get(0).raw().toString());
    assertEquals(7, splitter.pendingBytes());
  }

  @Test
  void handlesCrLfLineEndings() {
    splitter.feed(Buffer.buffer("data: one\r\n\r\ndata: two\r\n\r\n"));
    assertEquals(2, events.size());
    assertEquals("data: two\r\n\r\n", events.get(1).raw().toString());
  }

  @Test
  void commentsAndKeepAlivesHaveNoData() {
    splitter.feed(Buffer.buffer(": keep-alive\n\nevent: ping\n\ndata: {\"x\":1}\n\n"));
    assertEquals(3, events.size());
    assertFalse(events.get(0).hasData());
    assertFalse(events.get(1).hasData());
    assertTrue(events.get(2).hasData());
  }

  @Test
  void dataOffsetsPointAtThePayload() {
    splitter.feed(Buffer.buffer("id: 7\ndata: [DONE]\n\n"));
    SseEvent event = events.get(0);
    assertEquals("[DONE]", event.raw().getString(event.dataStart(), event.dataEnd()));
  }

  @Test
  void refusesAnEventLargerThanTheConfiguredMaximum() {
    Buffer big = Buffer.buffer(new byte[MAX]);
    assertTrue(splitter.feed(big), "exactly the maximum is still allowed");
    assertFalse(splitter.feed(Buffer.buffer("x")));
  }

  @Test
  void aHugeEventArrivingInSmallChunksIsScannedOnceNotOncePerChunk() {
    int size = 16 * 1024 * 1024;
    int chunk = 4096;
    SseEventSplitter big = new SseEventSplitter(32L * 1024 * 1024, events::add);
    byte[] piece = new byte[chunk];
    java.util.Arrays.fill(piece, (byte) 'a');
    assertTrue(big.feed(Buffer.buffer("data: ")));
    for (int sent = 0; sent < size; sent += chunk) {
      assertTrue(big.feed(Buffer.buffer(piece)));
    }
    assertTrue(big.feed(Buffer.buffer("\n\n")));
    assertEquals(1, events.size());
    assertEquals(size + 8, events.get(0).raw().length());
    assertTrue(
        big.scannedBytes() <= size + 8 + size / chunk + 2,
        "each byte is examined about once: " + big.scannedBytes());
  }

  @Test
  void aCarriageReturnAtAChunkEndWaitsForTheNextByte() {
    splitter.feed(Buffer.buffer("data: a\r\n\r"));
    assertTrue(events.isEmpty());
    splitter.feed(Buffer.buffer("\ndata: b\r\r"));
    assertEquals(1, events.size());
    assertEquals("data: a\r\n\r\n", events.get(0).raw().toString());
    splitter.feed(Buffer.buffer("x"));
    assertEquals(2, events.size());
    assertEquals("data: b\r\r", events.get(1).raw().toString());
  }

  @Test
  void anUnterminatedLastEventIsFlushedAtTheEnd() {
    splitter.feed(Buffer.buffer("data: [DONE]\n"));
    assertTrue(events.isEmpty());
    splitter.flush();
    assertTrue(events.get(0).isDone());
  }

  @Test
  void errorEventHasTheExactShapeWithoutDone() {
    String text = StreamErrorEvent.of("stalled", "upstream_stream_idle_timeout").toString();
    assertEquals(
        "data: {\"error\":{\"message\":\"stalled\",\"type\":\"upstream_error\","
            + "\"code\":\"upstream_stream_idle_timeout\"}}\n\n",
        text);
  }
}
