package ai.holysheep.k8s.sidecar.stream;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits an SSE byte stream into complete events at blank lines ({@code \n\n}, {@code \r\n\r\n}).
 * Complete events inside one chunk are slices of it (no copy); only a trailing partial event is
 * kept until the next chunk.
 */
public final class SseEventSplitter {
  /** An event larger than this is a broken upstream; the relay treats it as a failure. */
  public static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

  private final Consumer<SseEvent> onEvent;
  private Buffer pending;

  public SseEventSplitter(Consumer<SseEvent> onEvent) {
    this.onEvent = onEvent;
  }

  /**
   * Feeds a chunk.
   *
   * @return false when a partial event grew beyond {@link #MAX_EVENT_BYTES}
   */
  public boolean feed(Buffer chunk) {
    Buffer data;
    if (pending == null || pending.length() == 0) {
      data = chunk;
    } else {
      data = pending.appendBuffer(chunk);
    }
    int start = 0;
    int length = data.length();
    while (start < length) {
      int end = eventEnd(data, start, length);
      if (end < 0) {
        break;
      }
      emit(data.slice(start, end));
      start = end;
    }
    if (start == length) {
      pending = null;
    } else {
      Buffer rest = Buffer.buffer(length - start + 256);
      rest.appendBuffer(data, start, length - start);
      pending = rest;
      return rest.length() <= MAX_EVENT_BYTES;
    }
    return true;
  }

  /** Bytes of an incomplete trailing event. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.length();
  }

  /** Index just past the blank line that ends the event starting at {@code from}, or -1. */
  static int eventEnd(Buffer data, int from, int length) {
    boolean lineEmpty = true;
    for (int i = from; i < length; i++) {
      byte b = data.getByte(i);
      if (b == '\r') {
        int terminatorEnd = i + 1;
        if (terminatorEnd == length) {
          return -1;
        }
        if (data.getByte(terminatorEnd) == '\n') {
          terminatorEnd++;
        }
        if (lineEmpty) {
          return terminatorEnd;
        }
        lineEmpty = true;
        i = terminatorEnd - 1;
      } else if (b == '\n') {
        if (lineEmpty) {
          return i + 1;
        }
        lineEmpty = true;
      } else {
        lineEmpty = false;
      }
    }
    return -1;
  }

  private void emit(Buffer raw) {
    int dataStart = -1;
    int dataEnd = -1;
    int length = raw.length();
    int lineStart = 0;
    while (lineStart < length) {
      int lineEnd = lineStart;
      while (lineEnd < length && raw.getByte(lineEnd) != '\n' && raw.getByte(lineEnd) != '\r') {
        lineEnd++;
      }
      if (dataStart < 0 && startsWithData(raw, lineStart, lineEnd)) {
        dataStart = lineStart + 5;
        if (dataStart < lineEnd && raw.getByte(dataStart) == ' ') {
          dataStart++;
        }
        dataEnd = lineEnd;
      }
      lineStart = lineEnd + 1;
    }
    boolean hasData = dataStart >= 0;
    onEvent.accept(
        new SseEvent(
            raw, hasData, hasData && isErrorObject(raw, dataStart, dataEnd), dataStart, dataEnd));
  }

  private static boolean startsWithData(Buffer raw, int start, int end) {
    return end - start >= 5
        && raw.getByte(start) == 'd'
        && raw.getByte(start + 1) == 'a'
        && raw.getByte(start + 2) == 't'
        && raw.getByte(start + 3) == 'a'
        && raw.getByte(start + 4) == ':';
  }

  private static final byte[] ERROR_KEY = {'"', 'e', 'r', 'r', 'o', 'r', '"'};

  /** {@code {"error" :} after optional whitespace: the OpenAI error object shape. */
  static boolean isErrorObject(Buffer raw, int start, int end) {
    int i = skipSpace(raw, start, end);
    if (i >= end || raw.getByte(i) != '{') {
      return false;
    }
    i = skipSpace(raw, i + 1, end);
    if (end - i < ERROR_KEY.length) {
      return false;
    }
    for (int j = 0; j < ERROR_KEY.length; j++) {
      if (raw.getByte(i + j) != ERROR_KEY[j]) {
        return false;
      }
    }
    i = skipSpace(raw, i + ERROR_KEY.length, end);
    return i < end && raw.getByte(i) == ':';
  }

  private static int skipSpace(Buffer raw, int i, int end) {
    while (i < end && (raw.getByte(i) == ' ' || raw.getByte(i) == '\t')) {
      i++;
    }
    return i;
  }
}
