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
  private final SseEventSplitter splitter = new SseEventSplitter(events::add);

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
  void recognisesAnErrorObjectAsFirstData() {
    splitter.feed(Buffer.buffer("data: { \"error\" : {\"message\":\"boom\"}}\n\n"));
    splitter.feed(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"error\"}}]}\n\n"));
    assertTrue(events.get(0).errorObject());
    assertFalse(events.get(1).errorObject());
  }

  @Test
  void dataOffsetsPointAtThePayload() {
    splitter.feed(Buffer.buffer("id: 7\ndata: [DONE]\n\n"));
    SseEvent event = events.get(0);
    assertEquals("[DONE]", event.raw().getString(event.dataStart(), event.dataEnd()));
  }

  @Test
  void refusesAnEventThatNeverEnds() {
    Buffer big = Buffer.buffer(new byte[SseEventSplitter.MAX_EVENT_BYTES + 1]);
    assertFalse(splitter.feed(big));
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
