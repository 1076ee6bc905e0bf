package ai.holysheep.k8s.sidecar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.route.UsageSource;
import ai.holysheep.k8s.sidecar.stream.SseEvent;
import ai.holysheep.k8s.sidecar.stream.SseEventSplitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageRequestTest {

  @Test
  void insertsIncludeUsageIntoABodyWithoutStreamOptions() {
    Buffer body = Buffer.buffer(" {\"model\":\"m\",\"stream\":true}");
    Buffer asked = UsageRequest.withUsage(body);
    assertEquals(
        " {\"stream_options\":{\"include_usage\":true},\"model\":\"m\",\"stream\":true}",
        asked.toString());
    assertTrue(UsageRequest.asked(asked));
    assertFalse(UsageRequest.asked(body));
  }

  @Test
  void rewritesExistingStreamOptionsKeepingTheirOtherFields() {
    Buffer asked =
        UsageRequest.withUsage(
            Buffer.buffer(
                "{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,"
                    + "\"include_usage\":false}}"));
    JsonObject options = new JsonObject(asked).getJsonObject("stream_options");
    assertEquals(true, options.getBoolean("include_usage"));
    assertEquals(false, options.getBoolean("include_obfuscation"));
    JsonObject fromNull =
        new JsonObject(UsageRequest.withUsage(Buffer.buffer("{\"stream_options\":null}")));
    assertEquals(true, fromNull.getJsonObject("stream_options").getBoolean("include_usage"));
  }

  @Test
  void leavesBodiesThatAreNotObjectsAlone() {
    assertNull(UsageRequest.withUsage(Buffer.buffer("[1]")));
    assertEquals(
        "{\"stream_options\":{\"include_usage\":true}}",
        UsageRequest.withUsage(Buffer.buffer("{}")).toString());
  }

  private static List<SseEvent> events(String text) {
    List<SseEvent> events = new ArrayList<>();
    new SseEventSplitter(1 << 20, events::add).feed(Buffer.buffer(text));
    return events;
  }

  @Test
  void stripsWhatTheAppDidNotAskForAndCountsTheUsageOnce() {
    StreamUsage usage = new StreamUsage(UsageSource.TOP_LEVEL, true);
    List<String> out = new ArrayList<>();
    for (SseEvent event :
        events(
            "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
                + "data: {\"usage\": null, \"id\":\"c\",\"choices\":[]}\n\n"
                + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":2}}\n\n"
                + "data: [DONE]\n\n")) {
      Buffer bytes = usage.onEvent(event);
      if (bytes != null) {
        out.add(bytes.toString());
      }
    }
    assertEquals(
        List.of(
            "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n",
            "data: {\"id\":\"c\",\"choices\":[]}\n\n",
            "data: [DONE]\n\n"),
        out);
    assertEquals(3, usage.last().promptTokens());
    assertEquals(2, usage.last().completionTokens());
  }

  @Test
  void leavesTheStreamAloneWhenTheAppAskedForUsage() {
    StreamUsage usage = new StreamUsage(UsageSource.TOP_LEVEL, false);
    SseEvent chunk = events("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1}}\n\n").get(0);
    assertEquals(chunk.raw(), usage.onEvent(chunk));
    assertEquals(1, usage.last().promptTokens());
  }
}
