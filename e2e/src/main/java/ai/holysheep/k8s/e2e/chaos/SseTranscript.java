package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A received SSE body read event by event: the content of the chunks, whether it ended with {@code
 * [DONE]} or with an error event, and the first rule it breaks (an event after the end, data that
 * is not JSON, chunks of two different completions, an {@code event:} line on the error).
 */
record SseTranscript(
    String content, boolean done, String errorEvent, boolean usageSeen, String problem) {

  static SseTranscript read(String body) {
    StringBuilder content = new StringBuilder();
    boolean done = false;
    String errorEvent = null;
    boolean usage = false;
    String completionId = null;
    for (String event : body.split("\n\n")) {
      if (event.isEmpty()) {
        continue;
      }
      StringBuilder data = new StringBuilder();
      boolean named = false;
      for (String line : event.split("\n")) {
        if (line.startsWith("data:")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).stripLeading());
        } else if (line.startsWith("event:")) {
          named = true;
        } else if (!line.startsWith(":") && !line.isEmpty()) {
          return broken(content, "unexpected line \"" + AnswerCheck.clip(line) + "\"");
        }
      }
      if (data.length() == 0) {
        continue;
      }
      if (done || errorEvent != null) {
        return broken(content, "an event after the stream ended");
      }
      if (data.toString().equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonObject json;
      try {
        json = new JsonObject(data.toString());
      } catch (DecodeException | ClassCastException e) {
        return broken(content, "data that is not a JSON object");
      }
      if (json.containsKey("error")) {
        String problem = AnswerCheck.errorEventProblem(json);
        if (problem != null || named) {
          return broken(content, problem != null ? problem : "an event: line on the error event");
        }
        errorEvent = json.getJsonObject("error").getString("code");
        continue;
      }
      String id = json.getString("id");
      if (completionId == null) {
        completionId = id;
      } else if (!completionId.equals(id)) {
        return broken(content, "chunks of two completions (" + completionId + ", " + id + ")");
      }
      if (json.getValue("usage") != null) {
        usage = true;
      }
      JsonArray choices = json.getJsonArray("choices");
      if (choices != null && !choices.isEmpty()) {
        JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
        if (delta != null && delta.getString("content") != null) {
          content.append(delta.getString("content"));
        }
      }
    }
    return new SseTranscript(content.toString(), done, errorEvent, usage, null);
  }

  private static SseTranscript broken(StringBuilder content, String problem) {
    return new SseTranscript(content.toString(), false, null, false, problem);
  }
}
