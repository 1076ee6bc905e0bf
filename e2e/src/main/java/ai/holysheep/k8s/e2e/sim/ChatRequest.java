package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.json.JsonObject;

/** The few fields of a completion request that shape the simulated answer. */
record ChatRequest(String id, String model, boolean stream, boolean includeUsage, long bytes) {

  static ChatRequest of(String id, JsonObject body, long bytes) {
    JsonObject streamOptions = body.getJsonObject("stream_options");
    return new ChatRequest(
        id,
        body.getString("model", Answers.DEFAULT_MODEL),
        Boolean.TRUE.equals(body.getBoolean("stream")),
        streamOptions != null && Boolean.TRUE.equals(streamOptions.getBoolean("include_usage")),
        bytes);
  }
}
