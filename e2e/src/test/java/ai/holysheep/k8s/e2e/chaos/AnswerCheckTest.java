package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AnswerCheckTest {
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String ERROR_EVENT =
      "data: {\"error\":{\"message\":\"the upstream stream was interrupted\",\"type\":\"upstream_error\","
          + "\"code\":\"upstream_stream_interrupted\"}}\n\n";

  private static String chunk(String id, String content) {
    JsonObject delta = new JsonObject().put("content", content);
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta);
    return "data: "
        + new JsonObject()
            .put("id", id)
            .put("object", "chat.completion.chunk")
            .put("choices", new JsonArray().add(choice))
            .encode()
        + "\n\n";
  }

  private static String usageChunk(String id) {
    return "data: "
        + new JsonObject()
            .put("id", id)
            .put("choices", new JsonArray())
            .put("usage", new JsonObject().put("prompt_tokens", 3))
            .encode()
        + "\n\n";
  }

  /** The chunks a simulator named {@code name} streams, the first {@code count} of them. */
  private static String chunks(String id, String name, int count) {
    StringBuilder body = new StringBuilder(chunk(id, "Simulated answer from " + name + "."));
    for (int i = 1; i < count; i++) {
      body.append(chunk(id, " token-" + i));
    }
    return body.toString();
  }

  private static Verdict stream(String upstream, boolean usage, String body) {
    return AnswerCheck.stream(200, SSE, upstream, usage, body).verdict();
  }

  @Test
  void aWholeStreamEndingWithDoneIsCompleted() {
    String body = chunks("c1", "primary", 5) + usageChunk("c1") + "data: [DONE]\n\n";
    assertEquals(Verdict.COMPLETED, stream("primary", true, body));
  }

  @Test
  void aPrefixEndingWithTheSidecarsErrorEventIsAnErrorEvent() {
    assertEquals(
        Verdict.ERROR_EVENT, stream("primary", false, chunks("c1", "primary", 2) + ERROR_EVENT));
  }

  @Test
  void aStreamEndingWithNeitherDoneNorTheErrorEventIsSilent() {
    assertEquals(Verdict.SILENT_END, stream("primary", false, chunks("c1", "primary", 3)));
  }

  @Test
  void aStreamCutInsideAnEventIsSilent() {
    String body = chunks("c1", "primary", 2) + "data: {\"id\":\"c1\",";
    assertEquals(Verdict.SILENT_END, stream("primary", false, body));
  }

  @Test
  void chunksOfTwoCompletionsAreCorrupt() {
    String body = chunks("c1", "primary", 2) + chunks("c2", "fallback", 5) + "data: [DONE]\n\n";
    assertEquals(Verdict.CORRUPT_STREAM, stream("fallback", false, body));
  }

  @Test
  void anEventAfterDoneIsCorrupt() {
    String body = chunks("c1", "primary", 5) + "data: [DONE]\n\n" + chunk("c1", "more");
    assertEquals(Verdict.CORRUPT_STREAM, stream("primary", false, body));
  }

  @Test
  void aUsageChunkTheAppDidNotAskForIsCorrupt() {
    String body = chunks("c1", "primary", 5) + usageChunk("c1") + "data: [DONE]\n\n";
    assertEquals(Verdict.CORRUPT_STREAM, stream("primary", false, body));
  }

  @Test
  void anUpstreamErrorObjectRelayedAfterCommitIsCorrupt() {
    String relayed =
        "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":\"x\"}}\n\n";
    assertEquals(
        Verdict.CORRUPT_STREAM, stream("primary", false, chunks("c1", "primary", 1) + relayed));
  }

  @Test
  void anErrorEventWithAnEventLineIsCorrupt() {
    String named = "event: error\n" + ERROR_EVENT;
    assertEquals(
        Verdict.CORRUPT_STREAM, stream("primary", false, chunks("c1", "primary", 1) + named));
  }

  @Test
  void aCompleteAnswerFromAnotherUpstreamThanNamedIsCorrupt() {
    String body = chunks("c1", "primary", 5) + "data: [DONE]\n\n";
    assertEquals(Verdict.CORRUPT_STREAM, stream("fallback", false, body));
  }

  @Test
  void aStreamAnsweredWithAnHttpErrorIsAFailedStatus() {
    assertEquals(
        Verdict.FAILED_STATUS,
        AnswerCheck.stream(502, "application/json", "primary", false, "{}").verdict());
  }

  @Test
  void jsonFromTheNamedUpstreamIsOk() {
    assertEquals(
        Verdict.OK,
        AnswerCheck.json(200, "application/json", "fallback", completion("fallback")).verdict());
  }

  @Test
  void aJsonErrorObjectWithStatus200IsABadBody() {
    String error = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";
    assertEquals(
        Verdict.BAD_BODY, AnswerCheck.json(200, "application/json", "primary", error).verdict());
  }

  @Test
  void anHtmlPageWithStatus200IsABadBody() {
    assertEquals(
        Verdict.BAD_BODY,
        AnswerCheck.json(200, "text/html", "primary", "<html>502</html>").verdict());
  }

  @Test
  void jsonNamingAnotherUpstreamThanTheAnswerIsABadBody() {
    assertEquals(
        Verdict.BAD_BODY,
        AnswerCheck.json(200, "application/json", "primary", completion("fallback")).verdict());
  }

  private static String completion(String name) {
    JsonObject message =
        new JsonObject().put("role", "assistant").put("content", AnswerCheck.expectedText(name));
    return new JsonObject()
        .put("object", "chat.completion")
        .put(
            "choices",
            new JsonArray().add(new JsonObject().put("index", 0).put("message", message)))
        .encode();
  }
}
