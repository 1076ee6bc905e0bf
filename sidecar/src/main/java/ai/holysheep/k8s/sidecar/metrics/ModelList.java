package ai.holysheep.k8s.sidecar.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/** Reads the model ids of an OpenAI {@code GET /models} answer ({@code data[].id}). */
public final class ModelList {
  /** More model ids than this are ignored: the label set of the token metric must stay bounded. */
  public static final int MAX_MODELS = 200;

  static final JsonFactory JSON = new JsonFactory();

  private ModelList() {}

  /** The ids, or an empty set when the body is not a model list. */
  public static Set<String> parse(Buffer body) {
    Set<String> ids = new HashSet<>();
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Set.of();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("data".equals(field) && value == JsonToken.START_ARRAY) {
          readIds(parser, ids);
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return Set.of();
    }
    return ids;
  }

  private static void readIds(JsonParser parser, Set<String> ids) throws IOException {
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("id".equals(field) && value == JsonToken.VALUE_STRING && ids.size() < MAX_MODELS) {
          ids.add(parser.getText());
        } else {
          parser.skipChildren();
        }
      }
    }
  }
}
