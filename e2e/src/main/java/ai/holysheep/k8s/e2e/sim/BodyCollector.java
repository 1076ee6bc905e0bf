package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes a request body, keeping the bytes only while they stay small. */
final class BodyCollector {
  /** Bodies up to this size are kept long enough to parse (16 MiB); larger ones are only hashed. */
  static final int MAX_PARSED_BODY_BYTES = 16 * 1024 * 1024;

  private final MessageDigest sha256;
  private Buffer bytes = Buffer.buffer();
  private long size;
  private String hex;

  BodyCollector() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  void append(Buffer chunk) {
    size += chunk.length();
    sha256.update(chunk.getBytes());
    if (bytes != null && size <= MAX_PARSED_BODY_BYTES) {
      bytes.appendBuffer(chunk);
    } else {
      bytes = null;
    }
  }

  long size() {
    return size;
  }

  /** The hash of every byte appended; call once the body has ended. */
  String sha256Hex() {
    if (hex == null) {
      hex = HexFormat.of().formatHex(sha256.digest());
    }
    return hex;
  }

  /** The whole body when it was at most {@link #MAX_PARSED_BODY_BYTES}, else null. */
  Buffer bytes() {
    return bytes;
  }
}
