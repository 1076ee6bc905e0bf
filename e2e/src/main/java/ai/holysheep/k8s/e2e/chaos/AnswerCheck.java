package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Judges what the app received against what the simulators send: a JSON completion must be the
 * named upstream's whole answer; a stream must be that upstream's chunks in order ending with
 * {@code [DONE]}, or a prefix of them ending with exactly the sidecar's error event.
 */
public final class AnswerCheck {
  /** Content chunks per simulated stream (the simulators run with {@code --stream-events}). */
  public static final int SIM_STREAM_EVENTS = 5;

  private static final int DETAIL_CHARS = 160;

  private AnswerCheck() {}

  /** What a simulator named {@code name} answers: the same text in JSON and joined stream. */
  static String expectedText(String name) {
    StringBuilder text = new StringBuilder("Simulated answer from " + name + ".");
    for (int i = 1; i < SIM_STREAM_EVENTS; i++) {
      text.append(" token-").append(i);
    }
    return text.toString();
  }

  record Result(Verdict verdict, String detail) {}

  static Result json(int status, String contentType, String upstream, String body) {
    if (status != 200) {
      return new Result(Verdict.FAILED_STATUS, status + " " + clip(body));
    }
    if (contentType == null || !contentType.contains("json")) {
      return new Result(Verdict.BAD_BODY, "content-type " + contentType + ": " + clip(body));
    }
    JsonObject answer;
    try {
      answer = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new Result(Verdict.BAD_BODY, "not a JSON object: " + clip(body));
    }
    if (!"chat.completion".equals(answer.getValue("object"))) {
      return new Result(Verdict.BAD_BODY, "not a chat.completion: " + clip(body));
    }
    String content = jsonContent(answer);
    if (upstream == null || !expectedText(upstream).equals(content)) {
      return new Result(
          Verdict.BAD_BODY, "answer \"" + content + "\" but x-holysheep-upstream " + upstream);
    }
    return new Result(Verdict.OK, null);
  }

  static Result stream(
      int status, String contentType, String upstream, boolean includeUsage, String body) {
    if (status != 200) {
      return new Result(Verdict.FAILED_STATUS, status + " " + clip(body));
    }
    if (contentType == null || !contentType.startsWith("text/event-stream")) {
      return new Result(Verdict.BAD_BODY, "content-type " + contentType + ": " + clip(body));
    }
    if (!body.isEmpty() && !body.endsWith("\n\n")) {
      return new Result(Verdict.SILENT_END, "ends inside an event: " + clipEnd(body));
    }
    SseTranscript transcript = SseTranscript.read(body);
    if (transcript.problem() != null) {
      return new Result(Verdict.CORRUPT_STREAM, transcript.problem() + ": " + clipEnd(body));
    }
    String expected = upstream == null ? null : expectedText(upstream);
    String content = transcript.content();
    if (transcript.done()) {
      if (!content.equals(expected)) {
        return new Result(
            Verdict.CORRUPT_STREAM, "content \"" + content + "\" but upstream " + upstream);
      }
      if (transcript.usageSeen() != includeUsage) {
        return new Result(
            Verdict.CORRUPT_STREAM,
            includeUsage ? "no usage chunk though asked" : "a usage chunk the app did not ask for");
      }
      return new Result(Verdict.COMPLETED, null);
    }
    if (transcript.errorEvent() != null) {
      if (expected == null || !expected.startsWith(content)) {
        return new Result(
            Verdict.CORRUPT_STREAM,
            "content \"" + content + "\" before the error, upstream " + upstream);
      }
      return new Result(Verdict.ERROR_EVENT, transcript.errorEvent());
    }
    return new Result(Verdict.SILENT_END, "no [DONE] and no error event: " + clipEnd(body));
  }

  /** Checks the sidecar's error event: exactly {"error":{message,type:upstream_error,code}}. */
  static String errorEventProblem(JsonObject data) {
    if (!data.fieldNames().equals(Set.of("error"))
        || !(data.getValue("error") instanceof JsonObject)) {
      return "error event with other fields";
    }
    JsonObject error = data.getJsonObject("error");
    if (!"upstream_error".equals(error.getValue("type"))) {
      return "error event of type " + error.getValue("type") + " (an upstream error relayed?)";
    }
    if (!(error.getValue("message") instanceof String)
        || !(error.getValue("code") instanceof String)) {
      return "error event without a message or code";
    }
    return null;
  }

  private static String jsonContent(JsonObject answer) {
    JsonArray choices = answer.getJsonArray("choices");
    if (choices == null
        || choices.isEmpty()
        || !(choices.getValue(0) instanceof JsonObject choice)) {
      return null;
    }
    JsonObject message = choice.getJsonObject("message");
    return message == null ? null : message.getString("content");
  }

  static String clip(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replace('\n', ' ');
    return flat.length() <= DETAIL_CHARS ? flat : flat.substring(0, DETAIL_CHARS) + "…";
  }

  private static String clipEnd(String text) {
    String flat = text.replace("\n", "\\n");
    return flat.length() <= DETAIL_CHARS
        ? flat
        : "…" + flat.substring(flat.length() - DETAIL_CHARS);
  }
}
