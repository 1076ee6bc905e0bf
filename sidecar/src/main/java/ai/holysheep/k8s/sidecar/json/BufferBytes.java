package ai.holysheep.k8s.sidecar.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A buffer's bytes as an array, for scans that look at every byte. {@link Buffer#getByte} checks
 * bounds and the reference count of the Netty buffer underneath on every call, which made the body
 * scans a tenth of the proxy's CPU per request; through the array a scan is a plain loop. Bodies
 * the HTTP client and server hand over are heap buffers (Vert.x copies what Netty reads), so this
 * is no copy; any other buffer is copied once.
 */
public final class BufferBytes {
  private BufferBytes() {}

  /**
   * A heap view of {@code buffer}: {@code array()} from {@code arrayOffset() + readerIndex()} holds
   * its bytes.
   */
  public static ByteBuf heap(Buffer buffer) {
    if (buffer instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf();
      if (bytes.hasArray()) {
        return bytes;
      }
    }
    return Unpooled.wrappedBuffer(buffer.getBytes());
  }

  /** Index in {@code heap}'s array of the buffer's byte {@code index}. */
  public static int arrayIndex(ByteBuf heap, int index) {
    return heap.arrayOffset() + heap.readerIndex() + index;
  }
}
