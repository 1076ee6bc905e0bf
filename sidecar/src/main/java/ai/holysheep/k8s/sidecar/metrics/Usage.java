package ai.holysheep.k8s.sidecar.metrics;

import ai.holysheep.k8s.sidecar.json.JsonScanner;
import io.vertx.core.buffer.Buffer;

/**
 * Token counts of one answer, from its {@code usage} object in either field style: {@code
 * prompt_tokens}/{@code completion_tokens} (chat, completions, embeddings) or {@code
 * input_tokens}/{@code output_tokens} (Responses API, images, transcriptions).
 */
public record Usage(String model, long promptTokens, long completionTokens) {

  private static final JsonScanner.Keys KEYS =
      JsonScanner.keys(
          null,
          new String[] {"prompt_tokens", "input_tokens", "completion_tokens", "output_tokens"},
          new int[] {20, 20, 20, 20});

  /**
   * Reads a {@code usage} object's bytes (only its top-level integers; nested details are skipped).
   * One pass of a {@link JsonScanner}: no parser is created per answer. When both field styles are
   * present, the later key wins, as it would in a parser that reads the object in order.
   *
   * @return the usage, or {@code null} when the object holds no token count
   */
  public static Usage of(String model, Buffer usageObject) {
    if (usageObject == null || usageObject.length() == 0 || usageObject.getByte(0) != '{') {
      return null;
    }
    JsonScanner scanner = new JsonScanner(KEYS);
    scanner.feed(usageObject);
    if (!scanner.complete()) {
      return null;
    }
    long prompt = later(scanner, 0, 1);
    long completion = later(scanner, 2, 3);
    if (prompt < 0 && completion < 0) {
      return null;
    }
    return new Usage(model, Math.max(0, prompt), Math.max(0, completion));
  }

  /** The integer of whichever of the two keys came later, or -1. */
  private static long later(JsonScanner scanner, int a, int b) {
    long first = scanner.integer(a);
    long second = scanner.integer(b);
    if (first == JsonScanner.NOT_AN_INTEGER) {
      return second == JsonScanner.NOT_AN_INTEGER ? -1 : second;
    }
    if (second == JsonScanner.NOT_AN_INTEGER) {
      return first;
    }
    return scanner.keyStart(b) > scanner.keyStart(a) ? second : first;
  }
}
