package ai.holysheep.k8s.sidecar.json;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds a few keys of a JSON object as its bytes go by, in one pass, in constant memory: the values
 * of chosen keys at the top level (or inside one top-level object, e.g. {@code response.usage}) are
 * copied up to a bound, everything else is only stepped over. Fed chunk by chunk, so a 60 MiB
 * answer is read without holding it; no string of the document is ever materialized.
 *
 * <p>Offsets are counted from the first byte fed, so an SSE event's data can be edited with them
 * (removing {@code ,"usage":null}).
 */
public final class JsonScanner {
  /** Nesting deeper than this is only counted (object/array is not tracked). */
  private static final int TRACKED_DEPTH = 63;

  /** Key names longer than this cannot be targets. */
  private static final int MAX_KEY_BYTES = 32;

  private final byte[] parent;
  private final byte[][] keys;
  private final int[] maxBytes;
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
  private boolean sawValueByte;

  /**
   * @param parent a top-level key whose object holds the keys, or null for the top level
   * @param keys the keys whose values to keep
   * @param maxBytes per key, the longest value kept; a longer one is marked as overflowing
   */
  public JsonScanner(String parent, String[] keys, int[] maxBytes) {
    this.parent = parent == null ? null : parent.getBytes(StandardCharsets.UTF_8);
    this.keys = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      this.keys[i] = keys[i].getBytes(StandardCharsets.UTF_8);
    }
    this.maxBytes = maxBytes.clone();
    this.values = new Buffer[keys.length];
    this.overflow = new boolean[keys.length];
    this.keyStart = filled(keys.length);
    this.separatorBefore = filled(keys.length);
    this.valueEnd = filled(keys.length);
    this.commaAfter = filled(keys.length);
    this.targetDepth = parent == null ? 1 : 2;
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, -1);
    return a;
  }

  /** Feeds {@code [from, to)} of {@code chunk}. */
  public void feed(Buffer chunk, int from, int to) {
    for (int i = from; i < to; i++) {
      step(chunk.getByte(i));
      position++;
    }
  }

  public void feed(Buffer chunk) {
    feed(chunk, 0, chunk.length());
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
        if (expectKey && isObject(depth)) {
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
          pendingSlot = -1;
          sawValueByte = false;
          values[capturing] = Buffer.buffer(Math.min(64, maxBytes[capturing]));
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
    Buffer value = values[capturing];
    if (value.length() < maxBytes[capturing]) {
      value.appendByte(b);
    } else {
      overflow[capturing] = true;
    }
  }

  private void endCapture(boolean comma) {
    int slot = capturing;
    capturing = -1;
    valueEnd[slot] = position;
    commaAfter[slot] = comma ? position : -1;
    Buffer value = values[slot];
    int end = value.length();
    while (end > 0 && isSpace(value.getByte(end - 1))) {
      end--;
    }
    if (end < value.length()) {
      values[slot] = value.slice(0, end);
    }
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
    return found(slot) ? values[slot] : null;
  }

  public boolean overflowed(int slot) {
    return overflow[slot];
  }

  /** Whether the value is the literal {@code null}. */
  public boolean isNull(int slot) {
    Buffer value = value(slot);
    return value != null
        && value.length() == 4
        && value.getByte(0) == 'n'
        && value.getByte(1) == 'u'
        && value.getByte(2) == 'l'
        && value.getByte(3) == 'l';
  }

  /** Whether the value is the JSON string {@code text} (no escapes). */
  public boolean isString(int slot, String text) {
    Buffer value = value(slot);
    if (value == null || value.length() != text.length() + 2 || value.getByte(0) != '"') {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (value.getByte(i + 1) != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The string value without its quotes (escapes kept as they are), or null. */
  public String string(int slot) {
    Buffer value = value(slot);
    if (value == null || overflow[slot] || value.length() < 2 || value.getByte(0) != '"') {
      return null;
    }
    return value.getString(1, value.length() - 1, "UTF-8");
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
