package ai.holysheep.k8s.sidecar.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A request body parsed once: its JSON value (or null when it is not JSON) and the SHA-256 of the
 * query string and the body's canonical form (JSON re-serialized with sorted keys, so whitespace
 * and key order do not change the key; the raw bytes otherwise). The query is hashed, never kept,
 * as it may carry credentials (e.g. {@code api-key=}).
 */
record CanonicalBody(Object json, String sha256) {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static CanonicalBody of(Buffer body) {
    return of("", body);
  }

  static CanonicalBody of(String query, Buffer body) {
    byte[] raw = body == null ? new byte[0] : body.getBytes();
    Object json = parse(raw);
    byte[] canonical = raw;
    if (json != null) {
      try {
        canonical = MAPPER.writeValueAsBytes(json);
      } catch (JsonProcessingException e) {
        json = null;
      }
    }
    return new CanonicalBody(json, sha256(query, canonical));
  }

  /** True when the body is a JSON object whose {@code stream} field is {@code true}. */
  boolean asksForStream() {
    return json instanceof Map<?, ?> object && Boolean.TRUE.equals(object.get("stream"));
  }

  private static Object parse(byte[] raw) {
    if (raw.length == 0) {
      return null;
    }
    try {
      return MAPPER.readValue(raw, Object.class);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String sha256(String query, byte[] canonicalBody) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      if (!query.isEmpty()) {
        // A NUL cannot occur in a URL, so query and body cannot run into each other.
        digest.update(query.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest(canonicalBody));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
