package ai.holysheep.k8s.sidecar.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Token counts from the top-level {@code usage} object of an OpenAI answer or final stream chunk.
 * Only the top level is read (streaming parser, other subtrees skipped): message text is never
 * materialized.
 */
public record Usage(String model, long promptTokens, long completionTokens) {
  private static final byte[] USAGE_FIELD =
      "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Cheap pre-check before parsing: does the text mention a usage field at all. */
  public static boolean mayContainUsage(Buffer body, int from, int to) {
    return Bytes.indexOf(body, USAGE_FIELD, from, to) >= 0;
  }

  /** The usage of a JSON document, or {@code null} when there is none. */
  public static Usage parse(byte[] json, int offset, int length) {
    String model = null;
    long prompt = -1;
    long completion = -1;
    try (JsonParser parser = ModelList.JSON.createParser(json, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("model".equals(field) && value == JsonToken.VALUE_STRING) {
          model = parser.getText();
        } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken number = parser.nextToken();
            if (number == JsonToken.VALUE_NUMBER_INT && "prompt_tokens".equals(name)) {
              prompt = parser.getLongValue();
            } else if (number == JsonToken.VALUE_NUMBER_INT && "completion_tokens".equals(name)) {
              completion = parser.getLongValue();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
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
