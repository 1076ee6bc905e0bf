package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One chat request of the load: JSON or streamed, with or without {@code include_usage}. */
record LoadRequest(String id, long seq, boolean stream, boolean includeUsage, long scheduledAt) {

  String body() {
    JsonObject body =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "chaos " + seq)));
    if (stream) {
      body.put("stream", true);
      if (includeUsage) {
        body.put("stream_options", new JsonObject().put("include_usage", true));
      }
    }
    return body.encode();
  }
}
