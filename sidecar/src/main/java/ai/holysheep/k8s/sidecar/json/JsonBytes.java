package ai.holysheep.k8s.sidecar.json;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte scans of a request body for the few flags the route policy needs ({@code "stream": true},
 * {@code "store": true}, {@code "previous_response_id": "…"}), without parsing the JSON. A quote
 * escaped inside a string is preceded by a backslash, so prompt text that merely mentions a key
 * does not match; a nested object with the same key does (the cautious direction: it pins or
 * streams).
 */
public final class JsonBytes {
  private JsonBytes() {}

  /** The quoted form of {@code key}, to keep as a constant. */
  public static byte[] quoted(String key) {
    return ('"' + key + '"').getBytes(StandardCharsets.US_ASCII);
  }

  /** True when {@code quotedKey} is followed by {@code :} and the literal {@code true}. */
  public static boolean isTrue(Buffer body, byte[] quotedKey) {
    return valueStart(body, quotedKey, (byte) 't') >= 0;
  }

  /** True when {@code quotedKey} has a value other than {@code null} (or {@code false}). */
  public static boolean hasValue(Buffer body, byte[] quotedKey) {
    if (body == null) {
      return false;
    }
    int length = body.length();
    int from = 0;
    while (true) {
      int value = nextValue(body, quotedKey, from, length);
      if (value < 0) {
        return false;
      }
      byte first = body.getByte(value);
      if (first != 'n' && first != 'f') {
        return true;
      }
      from = value;
    }
  }

  /** Longest string value {@link #string} returns (model names are short). */
  static final int MAX_STRING_BYTES = 256;

  /**
   * The first string value of {@code quotedKey} (without escapes), or null when there is none or it
   * is longer than {@link #MAX_STRING_BYTES}.
   */
  public static String string(Buffer body, byte[] quotedKey) {
    int start = valueStart(body, quotedKey, (byte) '"');
    int end = plainStringEnd(body, start);
    return end < 0 ? null : body.getString(start + 1, end, "UTF-8");
  }

  /**
   * Index of the closing quote of the string opening at {@code start}, or -1 when there is none
   * within {@link #MAX_STRING_BYTES} or the string has an escape.
   */
  private static int plainStringEnd(Buffer body, int start) {
    if (start < 0) {
      return -1;
    }
    int end = Math.min(body.length(), start + 1 + MAX_STRING_BYTES);
    for (int i = start + 1; i < end; i++) {
      byte b = body.getByte(i);
      if (b == '\\') {
        return -1;
      }
      if (b == '"') {
        return i;
      }
    }
    return -1;
  }

  /**
   * A copy of {@code body} whose first string value of {@code quotedKey} is {@code value}, or null
   * when there is no such plain string (escaped or longer than {@link #MAX_STRING_BYTES}).
   */
  public static Buffer withString(Buffer body, byte[] quotedKey, String value) {
    int start = valueStart(body, quotedKey, (byte) '"');
    int end = plainStringEnd(body, start);
    if (end < 0) {
      return null;
    }
    return Buffer.buffer(body.length() + value.length())
        .appendBuffer(body, 0, start)
        .appendString(quote(value))
        .appendBuffer(body, end + 1, body.length() - end - 1);
  }

  /** {@code value} as a JSON string (quotes and backslashes escaped; names have no controls). */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static int valueStart(Buffer body, byte[] quotedKey, byte expected) {
    if (body == null) {
      return -1;
    }
    int length = body.length();
    int from = 0;
    while (true) {
      int value = nextValue(body, quotedKey, from, length);
      if (value < 0) {
        return -1;
      }
      if (body.getByte(value) == expected) {
        return value;
      }
      from = value;
    }
  }

  /** Index of the first byte of the next value of {@code quotedKey} at or after from, or -1. */
  private static int nextValue(Buffer body, byte[] quotedKey, int from, int length) {
    while (true) {
      int at = indexOf(body, quotedKey, from, length);
      if (at < 0) {
        return -1;
      }
      from = at + quotedKey.length;
      if (at > 0 && body.getByte(at - 1) == '\\') {
        continue;
      }
      int i = skipSpace(body, from, length);
      if (i < length && body.getByte(i) == ':') {
        i = skipSpace(body, i + 1, length);
        if (i < length) {
          return i;
        }
      }
    }
  }

  /** Index of {@code needle} in {@code [from, to)}, or -1. */
  public static int indexOf(Buffer haystack, byte[] needle, int from, int to) {
    int last = to - needle.length;
    byte first = needle[0];
    for (int i = from; i <= last; i++) {
      if (haystack.getByte(i) != first) {
        continue;
      }
      int j = 1;
      while (j < needle.length && haystack.getByte(i + j) == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }

  static int skipSpace(Buffer body, int i, int length) {
    while (i < length) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        break;
      }
      i++;
    }
    return i;
  }
}
