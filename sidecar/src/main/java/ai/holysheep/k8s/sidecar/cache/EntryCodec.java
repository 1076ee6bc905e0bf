package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Binary Redis value: a format byte, status (int), store time (epoch millis, long), content type
 * (int length + UTF-8, -1 for none), then the body. The store time travels with the value so any
 * pod can compute {@code Age}.
 */
final class EntryCodec {
  static final byte FORMAT = 1;
  private static final int HEADER_BYTES = 1 + 4 + 8 + 4;

  private EntryCodec() {}

  static Buffer encode(StoredEntry entry) {
    byte[] contentType =
        entry.contentType() == null ? null : entry.contentType().getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer(HEADER_BYTES + entry.body().length() + 64);
    out.appendByte(FORMAT)
        .appendInt(entry.status())
        .appendLong(entry.storedAt().toEpochMilli())
        .appendInt(contentType == null ? -1 : contentType.length);
    if (contentType != null) {
      out.appendBytes(contentType);
    }
    return out.appendBuffer(entry.body());
  }

  /** Null when the value is not in this format (e.g. written by a newer sidecar). */
  static StoredEntry decode(Buffer value) {
    if (value == null || value.length() < HEADER_BYTES || value.getByte(0) != FORMAT) {
      return null;
    }
    int status = value.getInt(1);
    Instant storedAt = Instant.ofEpochMilli(value.getLong(5));
    int contentTypeLength = value.getInt(13);
    int bodyStart = HEADER_BYTES + Math.max(0, contentTypeLength);
    if (contentTypeLength < -1 || bodyStart > value.length()) {
      return null;
    }
    String contentType =
        contentTypeLength < 0 ? null : value.getString(HEADER_BYTES, bodyStart, "UTF-8");
    return new StoredEntry(
        status, contentType, value.getBuffer(bodyStart, value.length()), storedAt);
  }
}
