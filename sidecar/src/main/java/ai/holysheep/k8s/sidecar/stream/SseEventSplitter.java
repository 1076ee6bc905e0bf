package ai.holysheep.k8s.sidecar.stream;

import ai.holysheep.k8s.sidecar.json.BufferBytes;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits an SSE byte stream into complete events at blank lines ({@code \n\n}, {@code \r\n\r\n},
 * {@code \r\r}). Linear in the bytes: a partial event is kept with the position reached, and the
 * next chunk is scanned from there (never from the event's start again). Complete events inside one
 * chunk are slices of it (no copy). Bytes are read from the buffer's array ({@link BufferBytes}).
 */
public final class SseEventSplitter {
  private final Consumer<SseEvent> onEvent;
  private final long maxEventBytes;
  private Buffer pending;
  private int position;
  private boolean lineEmpty = true;
  private long scanned;

  /**
   * @param maxEventBytes an event larger than this is a broken upstream; {@link #feed} reports it
   */
  public SseEventSplitter(long maxEventBytes, Consumer<SseEvent> onEvent) {
    this.maxEventBytes = maxEventBytes;
    this.onEvent = onEvent;
  }

  /**
   * Feeds a chunk.
   *
   * @return false when a partial event grew beyond the maximum event size
   */
  public boolean feed(Buffer chunk) {
    Buffer data;
    if (pending == null) {
      data = chunk;
      position = 0;
    } else {
      pending.appendBuffer(chunk);
      data = pending;
    }
    int length = data.length();
    ByteBuf heap = BufferBytes.heap(data);
    byte[] bytes = heap.array();
    int base = BufferBytes.arrayIndex(heap, 0);
    int eventStart = 0;
    int i = position;
    int scanStart = i;
    while (i < length) {
      byte b = bytes[base + i];
      if (b == '\n') {
        i++;
        if (lineEmpty) {
          emit(data.slice(eventStart, i));
          eventStart = i;
        }
        lineEmpty = true;
      } else if (b == '\r') {
        if (i + 1 == length) {
          break;
        }
        i = bytes[base + i + 1] == '\n' ? i + 2 : i + 1;
        if (lineEmpty) {
          emit(data.slice(eventStart, i));
          eventStart = i;
        }
        lineEmpty = true;
      } else {
        lineEmpty = false;
        i++;
      }
    }
    scanned += i - scanStart;
    if (eventStart == length) {
      pending = null;
      position = 0;
      return true;
    }
    if (data != pending || eventStart > 0) {
      Buffer rest = Buffer.buffer(Math.max(256, (length - eventStart) * 2));
      rest.appendBuffer(data, eventStart, length - eventStart);
      pending = rest;
    }
    position = i - eventStart;
    return pending.length() <= maxEventBytes;
  }

  /** Bytes examined so far (about once each, whatever the chunking: tests check linearity). */
  long scannedBytes() {
    return scanned;
  }

  /** Bytes of an incomplete trailing event. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.length();
  }

  /** Emits an incomplete trailing event (the stream ended without its blank line), if any. */
  public void flush() {
    if (pending != null && pending.length() > 0) {
      Buffer rest = pending;
      pending = null;
      position = 0;
      lineEmpty = true;
      emit(rest);
    }
  }

  private void emit(Buffer raw) {
    int dataStart = -1;
    int dataEnd = -1;
    int length = raw.length();
    ByteBuf heap = BufferBytes.heap(raw);
    byte[] bytes = heap.array();
    int base = BufferBytes.arrayIndex(heap, 0);
    int lineStart = 0;
    while (lineStart < length && dataStart < 0) {
      int lineEnd = lineStart;
      while (lineEnd < length && bytes[base + lineEnd] != '\n' && bytes[base + lineEnd] != '\r') {
        lineEnd++;
      }
      if (startsWithData(bytes, base + lineStart, lineEnd - lineStart)) {
        dataStart = lineStart + 5;
        if (dataStart < lineEnd && bytes[base + dataStart] == ' ') {
          dataStart++;
        }
        dataEnd = lineEnd;
      }
      lineStart = lineEnd + 1;
    }
    onEvent.accept(new SseEvent(raw, dataStart >= 0, dataStart, dataEnd));
  }

  private static boolean startsWithData(byte[] bytes, int start, int length) {
    return length >= 5
        && bytes[start] == 'd'
        && bytes[start + 1] == 'a'
        && bytes[start + 2] == 't'
        && bytes[start + 3] == 'a'
        && bytes[start + 4] == ':';
  }
}
