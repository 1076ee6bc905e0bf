package ai.holysheep.k8s.sidecar.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Token counts of one answer, from its {@code usage} object in either field style: {@code
 * prompt_tokens}/{@code completion_tokens} (chat, completions, embeddings) or {@code
 * input_tokens}/{@code output_tokens} (Responses API, images, transcriptions).
 */
public record Usage(String model, long promptTokens, long completionTokens) {

  /**
   * Reads a {@code usage} object's bytes (only its top-level numbers; nested details are skipped).
   *
   * @return the usage, or {@code null} when the object holds no token count
   */
  public static Usage of(String model, Buffer usageObject) {
    if (usageObject == null || usageObject.length() == 0 || usageObject.getByte(0) != '{') {
      return null;
    }
    long prompt = -1;
    long completion = -1;
    byte[] bytes = usageObject.getBytes();
    try (JsonParser parser = ModelList.JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value != JsonToken.VALUE_NUMBER_INT) {
          parser.skipChildren();
        } else if ("prompt_tokens".equals(name) || "input_tokens".equals(name)) {
          prompt = parser.getLongValue();
        } else if ("completion_tokens".equals(name) || "output_tokens".equals(name)) {
          completion = parser.getLongValue();
        }
      }
    } catch (IOException e) {
      return null;
    }
    if (prompt < 0 && completion < 0) {
      return null;
    }
    return new Usage(model, Math.max(0, prompt), Math.max(0, completion));
  }
}
