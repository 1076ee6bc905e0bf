package ai.holysheep.k8s.sidecar.metrics;

import io.vertx.core.buffer.Buffer;

/** Byte searches on a {@link Buffer} without copying it. */
public final class Bytes {
  private Bytes() {}

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
}
