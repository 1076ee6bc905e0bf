package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * A stored upstream answer, served with {@code x-holysheep-cache: stale} and {@code Age} when every
 * upstream failed.
 *
 * @param contentType the upstream's {@code Content-Type}, or null when it sent none
 * @param age time since the answer was stored
 * @param upstream name of the upstream that produced it
 */
public record CachedResponse(
    int status, String contentType, Buffer body, Duration age, String upstream) {

  /** Value of the {@code Age} header: whole seconds, never negative. */
  public String ageHeader() {
    return Long.toString(Math.max(0, age.getSeconds()));
  }
}
