package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/** OpenAI-shaped response bodies. Every text names the simulator so tests can tell who answered. */
final class Answers {
  static final String DEFAULT_MODEL = "sim-model";
  static final List<String> MODELS =
      List.of(DEFAULT_MODEL, "gpt-4o-mini", "text-embedding-3-small");
  static final int EMBEDDING_DIMENSIONS = 8;

  private final String name;
  private final int streamEvents;

  Answers(String name, int streamEvents) {
    this.name = name;
    this.streamEvents = streamEvents;
  }

  /** The text of content chunk {@code index}; the pieces joined make the JSON answer's text. */
  String piece(int index) {
    return index == 0 ? "Simulated answer from " + name + "." : " token-" + index;
  }

  String fullText() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < streamEvents; i++) {
      text.append(piece(i));
    }
    return text.toString();
  }

  JsonObject usage(long requestBytes) {
    int prompt = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, requestBytes / 4));
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", streamEvents)
        .put("total_tokens", prompt + streamEvents);
  }

  JsonObject chatCompletion(String id, String model, long requestBytes) {
    JsonObject message =
        new JsonObject().put("role", "assistant").put("content", fullText()).putNull("refusal");
    JsonObject choice =
        new JsonObject()
            .put("index", 0)
            .put("message", message)
            .putNull("logprobs")
            .put("finish_reason", "stop");
    return envelope(id, "chat.completion", model)
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage(requestBytes));
  }

  JsonObject textCompletion(String id, String model, long requestBytes) {
    JsonObject choice =
        new JsonObject()
            .put("index", 0)
            .put("text", fullText())
            .putNull("logprobs")
            .put("finish_reason", "stop");
    return envelope(id, "text_completion", model)
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage(requestBytes));
  }

  JsonObject chunk(String id, String model, JsonObject delta, String finishReason) {
    JsonObject choice =
        new JsonObject()
            .put("index", 0)
            .put("delta", delta)
            .putNull("logprobs")
            .put("finish_reason", finishReason);
    return envelope(id, "chat.completion.chunk", model).put("choices", new JsonArray().add(choice));
  }

  JsonObject usageChunk(String id, String model, long requestBytes) {
    return envelope(id, "chat.completion.chunk", model)
        .put("choices", new JsonArray())
        .put("usage", usage(requestBytes));
  }

  JsonObject models() {
    JsonArray data = new JsonArray();
    for (String id : MODELS) {
      data.add(
          new JsonObject()
              .put("id", id)
              .put("object", "model")
              .put("created", 1_700_000_000L)
              .put("owned_by", name));
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** One embedding per input; base64 (little-endian float32) when asked, as the SDKs ask. */
  JsonObject embeddings(JsonObject request, long requestBytes) {
    Object input = request.getValue("input");
    int count = input instanceof JsonArray array && !array.isEmpty() ? array.size() : 1;
    boolean base64 = "base64".equals(request.getString("encoding_format"));
    JsonArray data = new JsonArray();
    for (int i = 0; i < count; i++) {
      float[] vector = vector(i);
      data.add(
          new JsonObject()
              .put("object", "embedding")
              .put("index", i)
              .put("embedding", base64 ? toBase64(vector) : toJson(vector)));
    }
    int tokens = (int) Math.max(1, Math.min(Integer.MAX_VALUE, requestBytes / 4));
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", request.getString("model", "text-embedding-3-small"))
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens));
  }

  JsonObject error(String message, String type, String code) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code));
  }

  private JsonObject envelope(String id, String object, String model) {
    return new JsonObject()
        .put("id", id)
        .put("object", object)
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model)
        .putNull("system_fingerprint");
  }

  private static float[] vector(int index) {
    float[] vector = new float[EMBEDDING_DIMENSIONS];
    for (int d = 0; d < vector.length; d++) {
      vector[d] = (index + 1) * 0.01f + d * 0.001f;
    }
    return vector;
  }

  private static JsonArray toJson(float[] vector) {
    JsonArray array = new JsonArray();
    for (float value : vector) {
      array.add(value);
    }
    return array;
  }

  private static String toBase64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
