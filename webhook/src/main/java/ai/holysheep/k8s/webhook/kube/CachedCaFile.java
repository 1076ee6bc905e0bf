package ai.holysheep.k8s.webhook.kube;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The gateway's CA from a mounted file (certManager and files modes: {@code ca.crt} of the
 * gateway's TLS Secret), read again at most every {@code maxAge} so an admission does not read a
 * file, and a renewed CA still reaches the next pods. Null while the file holds no certificate.
 */
public final class CachedCaFile implements Supplier<String> {
  private final CaFileBundle file;
  private final Duration maxAge;
  private final Clock clock;
  private String pem;
  private Instant readAt;

  public CachedCaFile(Path path, Duration maxAge, Clock clock) {
    this.file = new CaFileBundle(path);
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public synchronized String get() {
    Instant now = clock.instant();
    if (readAt == null || !now.isBefore(readAt.plus(maxAge)) || pem == null) {
      pem = file.load().orElse(null);
      readAt = now;
    }
    return pem;
  }
}
