package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonScanner;
import ai.holysheep.k8s.sidecar.metrics.Usage;
import ai.holysheep.k8s.sidecar.route.UsageSource;
import io.vertx.core.buffer.Buffer;

/**
 * The keys the proxy reads from answers, in one scan: whether a body is an error object (any of the
 * three shapes) and its {@code usage} and {@code model}. Inside Responses API stream events the
 * usage and model sit in {@code response}; the error keys are then read from a second, top-level
 * scan of that (small) event only when it mentions an error.
 */
final class AnswerScan {
  static final int ERROR = 0;
  static final int TYPE = 1;
  static final int OBJECT = 2;
  static final int USAGE = 3;
  static final int MODEL = 4;
  static final int CHOICES = 5;

  /** A {@code usage} object with every detail is well under this. */
  static final int MAX_USAGE_BYTES = 4096;

  static final int MAX_MODEL_BYTES = 256;

  private static final String[] KEYS = {"error", "type", "object", "usage", "model", "choices"};
  private static final int[] SIZES = {8, 16, 16, MAX_USAGE_BYTES, MAX_MODEL_BYTES, 4};
  private static final JsonScanner.Keys TOP_LEVEL = JsonScanner.keys(null, KEYS, SIZES);
  private static final JsonScanner.Keys IN_RESPONSE =
      JsonScanner.keys(UsageSource.RESPONSE.streamParent(), KEYS, SIZES);

  private AnswerScan() {}

  /** A scanner of a top-level JSON answer or chunk. */
  static JsonScanner topLevel() {
    return new JsonScanner(TOP_LEVEL);
  }

  /** A scanner of a stream event of a route whose usage is in {@code source}'s parent object. */
  static JsonScanner streamEvent(UsageSource source) {
    if (source.streamParent() == null) {
      return topLevel();
    }
    return new JsonScanner(
        source == UsageSource.RESPONSE
            ? IN_RESPONSE
            : JsonScanner.keys(source.streamParent(), KEYS, SIZES));
  }

  static boolean isErrorObject(JsonScanner scanner) {
    return scanner.found(ERROR) && !scanner.isNull(ERROR)
        || scanner.isString(TYPE, "error")
        || scanner.isString(OBJECT, "error");
  }

  /** Whether {@code json[from, to)} is an error object at the top level. */
  static boolean isErrorObject(Buffer json, int from, int to) {
    JsonScanner scanner = topLevel();
    scanner.feed(json, from, to);
    return isErrorObject(scanner);
  }

  /** The usage the scanner found, or null. */
  static Usage usage(JsonScanner scanner) {
    if (!scanner.found(USAGE) || scanner.isNull(USAGE) || scanner.overflowed(USAGE)) {
      return null;
    }
    return Usage.of(scanner.string(MODEL), scanner.value(USAGE));
  }

  /** Whether {@code choices} is the empty array (the usage-only chunk of a chat stream). */
  static boolean emptyChoices(JsonScanner scanner) {
    Buffer value = scanner.value(CHOICES);
    return value != null && value.length() == 2 && value.getByte(0) == '[';
  }
}
