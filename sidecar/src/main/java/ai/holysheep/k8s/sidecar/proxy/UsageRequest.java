package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonBytes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Asks the upstream for the usage of a stream whose app did not ask for it ({@code
 * stream_options.include_usage}), so that its tokens are counted; {@link StreamUsage} then removes
 * from the answer what the app did not ask for.
 */
final class UsageRequest {
  private static final byte[] INCLUDE_USAGE = JsonBytes.quoted("include_usage");
  private static final byte[] STREAM_OPTIONS = JsonBytes.quoted("stream_options");
  private static final Buffer INSERTED =
      Buffer.buffer("\"stream_options\":{\"include_usage\":true},");
  private static final ObjectMapper JSON = new ObjectMapper();

  private UsageRequest() {}

  /** Whether the app asked for usage itself. */
  static boolean asked(Buffer body) {
    return JsonBytes.isTrue(body, INCLUDE_USAGE);
  }

  /**
   * The body with {@code include_usage} turned on, or null when it cannot be changed safely (not a
   * JSON object). Without {@code stream_options} the option is inserted after the opening brace (a
   * byte copy); otherwise the (small) body is parsed and rewritten.
   */
  static Buffer withUsage(Buffer body) {
    int length = body.length();
    int open = 0;
    while (open < length && isSpace(body.getByte(open))) {
      open++;
    }
    if (open == length || body.getByte(open) != '{') {
      return null;
    }
    if (JsonBytes.indexOf(body, STREAM_OPTIONS, open, length) < 0) {
      Buffer out = Buffer.buffer(length + INSERTED.length());
      out.appendBuffer(body, 0, open + 1);
      int next = open + 1;
      while (next < length && isSpace(body.getByte(next))) {
        next++;
      }
      boolean empty = next < length && body.getByte(next) == '}';
      out.appendBuffer(empty ? INSERTED.slice(0, INSERTED.length() - 1) : INSERTED);
      out.appendBuffer(body, open + 1, length - open - 1);
      return out;
    }
    try {
      JsonNode tree = JSON.readTree(body.getBytes());
      if (!(tree instanceof ObjectNode object)) {
        return null;
      }
      JsonNode options = object.get("stream_options");
      ObjectNode rewritten =
          options instanceof ObjectNode existing ? existing : object.putObject("stream_options");
      rewritten.put("include_usage", true);
      return Buffer.buffer(JSON.writeValueAsBytes(object));
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
