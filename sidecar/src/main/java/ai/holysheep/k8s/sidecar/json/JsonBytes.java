package ai.holysheep.k8s.sidecar.json;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte scans of a request body for the few flags the route policy needs ({@code "stream": true},
 * {@code "store": true}, {@code "previous_response_id": "…"}), without parsing the JSON. A quote
 * escaped inside a string is preceded by a backslash, so prompt text that merely mentions a key
 * does not match; a nested object with the same key does (the cautious direction: it pins or
 * streams). The scans read the buffer's array ({@link BufferBytes}), not byte by byte through the
 * buffer.
 */
public final class JsonBytes {
  private JsonBytes() {}

  /** The quoted form of {@code key}, to keep as a constant. */
  public static byte[] quoted(String key) {
    return ('"' + key + '"').getBytes(StandardCharsets.US_ASCII);
  }

  /** True when {@code quotedKey} is followed by {@code :} and the literal {@code true}. */
  public static boolean isTrue(Buffer body, byte[] quotedKey) {
    return body != null && valueStart(Bytes.of(body), quotedKey, (byte) 't') >= 0;
  }

  /** True when {@code quotedKey} has a value other than {@code null} (or {@code false}). */
  public static boolean hasValue(Buffer body, byte[] quotedKey) {
    if (body == null) {
      return false;
    }
    Bytes bytes = Bytes.of(body);
    int from = 0;
    while (true) {
      int value = nextValue(bytes, quotedKey, from);
      if (value < 0) {
        return false;
      }
      byte first = bytes.at(value);
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
    if (body == null) {
      return null;
    }
    Bytes bytes = Bytes.of(body);
    int start = valueStart(bytes, quotedKey, (byte) '"');
    int end = plainStringEnd(bytes, start);
    return end < 0
        ? null
        : new String(bytes.array, bytes.base + start + 1, end - start - 1, StandardCharsets.UTF_8);
  }

  /**
   * Index of the closing quote of the string opening at {@code start}, or -1 when there is none
   * within {@link #MAX_STRING_BYTES} or the string has an escape.
   */
  private static int plainStringEnd(Bytes bytes, int start) {
    if (start < 0) {
      return -1;
    }
    int end = Math.min(bytes.length, start + 1 + MAX_STRING_BYTES);
    for (int i = start + 1; i < end; i++) {
      byte b = bytes.at(i);
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
    if (body == null) {
      return null;
    }
    Bytes bytes = Bytes.of(body);
    int start = valueStart(bytes, quotedKey, (byte) '"');
    int end = plainStringEnd(bytes, start);
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

  private static int valueStart(Bytes bytes, byte[] quotedKey, byte expected) {
    int from = 0;
    while (true) {
      int value = nextValue(bytes, quotedKey, from);
      if (value < 0) {
        return -1;
      }
      if (bytes.at(value) == expected) {
        return value;
      }
      from = value;
    }
  }

  /** Index of the first byte of the next value of {@code quotedKey} at or after from, or -1. */
  private static int nextValue(Bytes bytes, byte[] quotedKey, int from) {
    int length = bytes.length;
    while (true) {
      int at = bytes.indexOf(quotedKey, from, length);
      if (at < 0) {
        return -1;
      }
      from = at + quotedKey.length;
      if (at > 0 && bytes.at(at - 1) == '\\') {
        continue;
      }
      int i = bytes.skipSpace(from);
      if (i < length && bytes.at(i) == ':') {
        i = bytes.skipSpace(i + 1);
        if (i < length) {
          return i;
        }
      }
    }
  }

  /** Index of {@code needle} in {@code [from, to)} of {@code haystack}, or -1. */
  public static int indexOf(Buffer haystack, byte[] needle, int from, int to) {
    return Bytes.of(haystack).indexOf(needle, from, to);
  }

  /** A buffer's bytes as an array window: index {@code i} of the buffer is {@code base + i}. */
  private record Bytes(byte[] array, int base, int length) {
    static Bytes of(Buffer buffer) {
      ByteBuf heap = BufferBytes.heap(buffer);
      return new Bytes(heap.array(), BufferBytes.arrayIndex(heap, 0), buffer.length());
    }

    byte at(int i) {
      return array[base + i];
    }

    int indexOf(byte[] needle, int from, int to) {
      int last = base + to - needle.length;
      byte first = needle[0];
      for (int i = base + from; i <= last; i++) {
        if (array[i] != first) {
          continue;
        }
        int j = 1;
        while (j < needle.length && array[i + j] == needle[j]) {
          j++;
        }
        if (j == needle.length) {
          return i - base;
        }
      }
      return -1;
    }

    int skipSpace(int i) {
      while (i < length) {
        byte b = array[base + i];
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
          break;
        }
        i++;
      }
      return i;
    }
  }
}
