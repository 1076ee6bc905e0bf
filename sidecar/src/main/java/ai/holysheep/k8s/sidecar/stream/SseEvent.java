package ai.holysheep.k8s.sidecar.stream;

import io.vertx.core.buffer.Buffer;

/**
 * One complete server-sent event as raw bytes (including its terminating blank line).
 *
 * @param raw the bytes to forward unchanged
 * @param hasData at least one {@code data:} line (comments and keep-alives have none)
 * @param dataStart offset of the first data payload in {@code raw}, -1 without data
 * @param dataEnd end of that payload line
 */
public record SseEvent(Buffer raw, boolean hasData, int dataStart, int dataEnd) {
  private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

  /** The {@code data: [DONE]} that ends chat/completions and completions streams. */
  public boolean isDone() {
    if (!hasData || dataEnd - dataStart != DONE.length) {
      return false;
    }
    for (int i = 0; i < DONE.length; i++) {
      if (raw.getByte(dataStart + i) != DONE[i]) {
        return false;
      }
    }
    return true;
  }
}
