package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.buffer.Buffer;
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

  /** The error object of a fault, in its shape; {@code errorKeyLast} writes the marker key last. */
  JsonObject errorObject(Fault fault) {
    String code = fault.effectiveErrorCode();
    String type = code.equals("server_error") ? "server_error" : "invalid_request_error";
    String message =
        switch (code) {
          case "context_length_exceeded" ->
              "This model's maximum context length is 128000 tokens. However, your messages"
                  + " resulted in 130512 tokens. Please reduce the length of the messages.";
          case "content_filter" ->
              "The response was filtered due to the prompt triggering the content management"
                  + " policy.";
          case "invalid_request_error" -> "Invalid value for 'temperature': must be at most 2.";
          default -> "simulated server error from " + name;
        };
    JsonObject inner =
        new JsonObject()
            .put("message", message)
            .put("type", type)
            .putNull("param")
            .put("code", code);
    String shape = fault.errorObject() == null ? "error" : fault.errorObject();
    JsonObject out = new JsonObject();
    switch (shape) {
      case "type" -> {
        if (!fault.errorKeyLast()) {
          out.put("type", "error");
        }
        out.put("error", inner);
        if (fault.errorKeyLast()) {
          out.put("type", "error");
        }
      }
      case "object" -> {
        if (!fault.errorKeyLast()) {
          out.put("object", "error");
        }
        out.put("message", message).put("type", type).putNull("param").put("code", code);
        if (fault.errorKeyLast()) {
          out.put("object", "error");
        }
      }
      default -> {
        if (fault.errorKeyLast()) {
          out.put("id", "resp-sim").put("created", 0);
        }
        out.put("error", inner);
      }
    }
    return out;
  }

  /** A CDN- or proxy-style error page. */
  String htmlPage(int status) {
    return "<!DOCTYPE html>\n<html><head><title>"
        + status
        + " | "
        + name
        + "</title></head><body><h1>Error "
        + status
        + "</h1><p>The web server reported an error. Ray ID: sim-"
        + name
        + "</p></body></html>\n";
  }

  /** A Responses API answer ({@code object: response}) with usage in the input/output style. */
  JsonObject response(String id, String model, long requestBytes, boolean completed) {
    JsonObject text =
        new JsonObject()
            .put("type", "output_text")
            .put("text", completed ? fullText() : "")
            .put("annotations", new JsonArray());
    JsonObject message =
        new JsonObject()
            .put("type", "message")
            .put("id", "msg_" + id)
            .put("status", completed ? "completed" : "in_progress")
            .put("role", "assistant")
            .put("content", new JsonArray().add(text));
    JsonObject usage = usage(requestBytes);
    return new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", System.currentTimeMillis() / 1000)
        .put("status", completed ? "completed" : "in_progress")
        .putNull("error")
        .put("model", model)
        .put("output", new JsonArray().add(message))
        .put(
            "usage",
            completed
                ? new JsonObject()
                    .put("input_tokens", usage.getInteger("prompt_tokens"))
                    .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
                    .put("output_tokens", streamEvents)
                    .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
                    .put("total_tokens", usage.getInteger("total_tokens"))
                : null);
  }

  /** Bytes of {@code /audio/speech}: not JSON, so a proxy must relay them as they are. */
  static final int SPEECH_BYTES = 256 * 1024;

  Buffer speech() {
    byte[] bytes = new byte[SPEECH_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return Buffer.buffer(bytes);
  }

  int streamEvents() {
    return streamEvents;
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
