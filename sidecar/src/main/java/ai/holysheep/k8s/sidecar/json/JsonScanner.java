package ai.holysheep.k8s.sidecar.json;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a few keys of a JSON object as its bytes go by, in one pass, in constant memory: the values
 * of chosen keys at the top level (or inside one top-level object, e.g. {@code response.usage}) are
 * copied up to a bound, everything else is only stepped over. Fed chunk by chunk, so a 60 MiB
 * answer is read without holding it; no string of the document is ever materialized.
 *
 * <p>Offsets are counted from the first byte fed, so an SSE event's data can be edited with them
 * (removing {@code ,"usage":null}).
 *
 * <p>Cost: the bytes are read from the buffer's array ({@link BufferBytes}), the inside of a string
 * that is neither a wanted key nor a captured value is skipped by a loop that only looks for the
 * closing quote, and keys are only read at the depths where a wanted key can be.
 *
 * <p>Over 400 lines on purpose: it is one resumable state machine on the hot path of every answer,
 * and splitting its states over classes would add a call and shared mutable state per byte.
 */
public final class JsonScanner {
  /** Nesting deeper than this is only counted (object/array is not tracked). */
  private static final int TRACKED_DEPTH = 63;

  /** Key names longer than this cannot be targets. */
  private static final int MAX_KEY_BYTES = 32;

  /** Bytes that mean something outside a string; any other is stepped over without a look. */
  private static final boolean[] STRUCTURAL = new boolean[256];

  static {
    for (char c : new char[] {'"', '{', '}', '[', ']', ',', ':'}) {
      STRUCTURAL[c] = true;
    }
  }

  /**
   * What a scanner looks for, encoded once (a constant of its user) rather than per scanner.
   *
   * @param parent a top-level key whose object holds the keys, or null for the top level
   * @param keys the keys whose values to keep
   * @param maxBytes per key, the longest value kept; a longer one is marked as overflowing
   */
  public record Keys(byte[] parent, byte[][] keys, int[] maxBytes) {}

  /** See {@link Keys}. */
  public static Keys keys(String parent, String[] keys, int[] maxBytes) {
    if (keys.length != maxBytes.length) {
      throw new IllegalArgumentException(keys.length + " keys but " + maxBytes.length + " bounds");
    }
    byte[][] encoded = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      encoded[i] = keys[i].getBytes(StandardCharsets.UTF_8);
    }
    return new Keys(
        parent == null ? null : parent.getBytes(StandardCharsets.UTF_8), encoded, maxBytes.clone());
  }

  private final byte[] parent;
  private final byte[][] keys;
  private final int[] maxBytes;
  private final byte[][] captured;
  private final int[] capturedLength;
  private final Buffer[] values;
  private final boolean[] overflow;
  private final long[] keyStart;
  private final long[] separatorBefore;
  private final long[] valueEnd;
  private final long[] commaAfter;

  private long position;
  private int depth;
  private long objectBits;
  private boolean inString;
  private boolean escape;
  private boolean expectKey;
  private boolean readingKey;
  private final byte[] keyBytes = new byte[MAX_KEY_BYTES];
  private int keyLength;
  private long keyOpenedAt;
  private long lastSeparator = -1;
  private int targetDepth;
  private boolean inParent;
  private int pendingSlot = -1;
  private boolean parentPending;
  private int capturing = -1;

  /** The value being captured has reached its bound: its remaining bytes need no copy. */
  private boolean captureFull;

  private boolean sawValueByte;

  /**
   * @param parent a top-level key whose object holds the keys, or null for the top level
   * @param keys the keys whose values to keep
   * @param maxBytes per key, the longest value kept; a longer one is marked as overflowing
   */
  public JsonScanner(String parent, String[] keys, int[] maxBytes) {
    this(keys(parent, keys, maxBytes));
  }

  public JsonScanner(Keys spec) {
    int n = spec.keys().length;
    this.parent = spec.parent();
    this.keys = spec.keys();
    this.maxBytes = spec.maxBytes();
    this.captured = new byte[n][];
    this.capturedLength = new int[n];
    this.values = new Buffer[n];
    this.overflow = new boolean[n];
    this.keyStart = filled(n);
    this.separatorBefore = filled(n);
    this.valueEnd = filled(n);
    this.commaAfter = filled(n);
    this.targetDepth = parent == null ? 1 : 2;
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    Arrays.fill(a, -1);
    return a;
  }

  /** Feeds {@code [from, to)} of {@code chunk}. */
  public void feed(Buffer chunk, int from, int to) {
    ByteBuf heap = BufferBytes.heap(chunk);
    int start = BufferBytes.arrayIndex(heap, from);
    feed(heap.array(), start, start + (to - from));
  }

  public void feed(Buffer chunk) {
    feed(chunk, 0, chunk.length());
  }

  private void feed(byte[] bytes, int from, int to) {
    long first = position - from;
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (capturing < 0 || captureFull) {
        // Nothing to copy: only quotes, escapes, key bytes and structure matter.
        if (inString) {
          if (!escape && !readingKey && b != '"' && b != '\\') {
            continue;
          }
        } else if (!STRUCTURAL[b & 0xff]) {
          continue;
        }
      }
      position = first + i;
      step(b);
    }
    position = first + to;
  }

  private void step(byte b) {
    if (capturing >= 0) {
      capture(b);
    }
    if (inString) {
      if (escape) {
        escape = false;
      } else if (b == '\\') {
        escape = true;
      } else if (b == '"') {
        inString = false;
        if (readingKey) {
          readingKey = false;
          keyEnded();
        }
      } else if (readingKey) {
        if (keyLength < MAX_KEY_BYTES) {
          keyBytes[keyLength] = b;
        }
        keyLength++;
      }
      return;
    }
    switch (b) {
      case '"' -> {
        inString = true;
        if (expectKey && isObject(depth) && (depth == targetDepth || depth == 1)) {
          readingKey = true;
          keyLength = 0;
          keyOpenedAt = position;
        }
      }
      case '{', '[' -> open(b == '{');
      case '}', ']' -> close();
      case ',' -> {
        if (capturing >= 0 && depth == targetDepth && inTarget()) {
          endCapture(true);
        }
        if (isObject(depth)) {
          expectKey = true;
          if (depth == targetDepth) {
            lastSeparator = position;
          }
        }
      }
      case ':' -> {
        expectKey = false;
        if (pendingSlot >= 0) {
          capturing = pendingSlot;
          captureFull = false;
          pendingSlot = -1;
          sawValueByte = false;
          captured[capturing] = new byte[Math.min(64, maxBytes[capturing])];
          capturedLength[capturing] = 0;
        }
      }
      default -> {}
    }
  }

  private void open(boolean object) {
    if (parentPending && depth == 1) {
      parentPending = false;
      inParent = object;
    }
    depth++;
    if (depth <= TRACKED_DEPTH) {
      objectBits = object ? objectBits | (1L << depth) : objectBits & ~(1L << depth);
    }
    expectKey = object;
    if (object && depth == targetDepth && inTarget()) {
      lastSeparator = position;
    }
  }

  private void close() {
    if (capturing >= 0 && depth == targetDepth && inTarget()) {
      endCapture(false);
    }
    if (depth == 2 && parent != null) {
      inParent = false;
    }
    depth--;
    expectKey = false;
  }

  private boolean inTarget() {
    return parent == null || inParent;
  }

  private boolean isObject(int d) {
    return d > 0 && d <= TRACKED_DEPTH && (objectBits & (1L << d)) != 0;
  }

  private void keyEnded() {
    parentPending = false;
    if (parent != null && depth == 1 && matches(parent)) {
      parentPending = true;
      return;
    }
    if (depth != targetDepth || !inTarget()) {
      return;
    }
    for (int i = 0; i < keys.length; i++) {
      if (keyStart[i] < 0 && matches(keys[i])) {
        pendingSlot = i;
        keyStart[i] = keyOpenedAt;
        separatorBefore[i] = lastSeparator;
        return;
      }
    }
  }

  private boolean matches(byte[] key) {
    if (key.length != keyLength) {
      return false;
    }
    for (int i = 0; i < keyLength; i++) {
      if (keyBytes[i] != key[i]) {
        return false;
      }
    }
    return true;
  }

  private void capture(byte b) {
    if (!sawValueByte) {
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == ':') {
        return;
      }
      sawValueByte = true;
    }
    boolean delimiter = !inString && depth == targetDepth && (b == ',' || b == '}');
    if (delimiter) {
      return;
    }
    int slot = capturing;
    int length = capturedLength[slot];
    if (length == maxBytes[slot]) {
      overflow[slot] = true;
      captureFull = true;
      return;
    }
    byte[] value = captured[slot];
    if (length == value.length) {
      value = Arrays.copyOf(value, Math.min(maxBytes[slot], length * 2));
      captured[slot] = value;
    }
    value[length] = b;
    capturedLength[slot] = length + 1;
  }

  private void endCapture(boolean comma) {
    int slot = capturing;
    capturing = -1;
    valueEnd[slot] = position;
    commaAfter[slot] = comma ? position : -1;
    int end = capturedLength[slot];
    while (end > 0 && isSpace(captured[slot][end - 1])) {
      end--;
    }
    capturedLength[slot] = end;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** Whether key {@code slot} was found with a complete value. */
  public boolean found(int slot) {
    return valueEnd[slot] >= 0;
  }

  /** The value's bytes (up to its bound), or null when not found. */
  public Buffer value(int slot) {
    if (!found(slot)) {
      return null;
    }
    if (values[slot] == null) {
      values[slot] = Buffer.buffer(Arrays.copyOf(captured[slot], capturedLength[slot]));
    }
    return values[slot];
  }

  public boolean overflowed(int slot) {
    return overflow[slot];
  }

  /** Whether the value is the literal {@code null}. */
  public boolean isNull(int slot) {
    return found(slot) && capturedLength[slot] == 4 && equalsAscii(slot, 0, "null");
  }

  /** Whether the value is the JSON string {@code text} (no escapes). */
  public boolean isString(int slot, String text) {
    return found(slot)
        && capturedLength[slot] == text.length() + 2
        && captured[slot][0] == '"'
        && equalsAscii(slot, 1, text);
  }

  /** Whether the captured bytes from {@code from} on start with {@code text} (ASCII). */
  private boolean equalsAscii(int slot, int from, String text) {
    byte[] value = captured[slot];
    for (int i = 0; i < text.length(); i++) {
      if (value[from + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The string value without its quotes (escapes kept as they are), or null. */
  public String string(int slot) {
    if (!found(slot) || overflow[slot]) {
      return null;
    }
    int length = capturedLength[slot];
    if (length < 2 || captured[slot][0] != '"') {
      return null;
    }
    return new String(captured[slot], 1, length - 2, StandardCharsets.UTF_8);
  }

  /** Returned by {@link #integer} for a value that is not a JSON integer within a long. */
  public static final long NOT_AN_INTEGER = Long.MIN_VALUE;

  /**
   * The value as a JSON integer, or {@link #NOT_AN_INTEGER} when it is absent, not a number, has a
   * fraction or exponent, or does not fit in a long.
   */
  public long integer(int slot) {
    if (!found(slot) || overflow[slot]) {
      return NOT_AN_INTEGER;
    }
    byte[] value = captured[slot];
    int length = capturedLength[slot];
    boolean negative = length > 0 && value[0] == '-';
    int i = negative ? 1 : 0;
    if (i == length || length - i > 18) {
      return NOT_AN_INTEGER;
    }
    long result = 0;
    for (; i < length; i++) {
      int digit = value[i] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_AN_INTEGER;
      }
      result = result * 10 + digit;
    }
    return negative ? -result : result;
  }

  /** Offset of the key's opening quote. */
  public long keyStart(int slot) {
    return keyStart[slot];
  }

  /** Offset of the {@code ,} or {@code {} before the key. */
  public long separatorBefore(int slot) {
    return separatorBefore[slot];
  }

  /** Offset just past the value (the delimiter that ended it). */
  public long valueEnd(int slot) {
    return valueEnd[slot];
  }

  /** Offset of the {@code ,} right after the value, or -1 when the object closed after it. */
  public long commaAfter(int slot) {
    return commaAfter[slot];
  }

  /** Whether the bytes fed so far form one complete top-level value. */
  public boolean complete() {
    return depth == 0 && position > 0 && !inString;
  }
}
