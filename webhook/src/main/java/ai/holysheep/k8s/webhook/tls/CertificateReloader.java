package ai.holysheep.k8s.webhook.tls;

import io.vertx.core.Future;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Asks a {@link CertificateSource} when told to (each refresh tick) and hands a changed pair to the
 * server without a restart. Blocking: it runs on the refresh thread, never on an event loop or an
 * admission worker.
 */
public final class CertificateReloader {
  /** Bound on the server installing a new certificate. */
  public static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

  private final CertificateSource source;
  private final Function<ServingCertificate, Future<?>> apply;
  private final AtomicReference<ServingCertificate> current = new AtomicReference<>();

  /**
   * @param apply installs a new certificate (e.g. {@code server.updateSSLOptions}); the reloader
   *     remembers it as current only once that succeeds
   */
  public CertificateReloader(
      CertificateSource source,
      ServingCertificate initial,
      Function<ServingCertificate, Future<?>> apply) {
    this.source = source;
    this.apply = apply;
    current.set(initial);
  }

  public ServingCertificate current() {
    return current.get();
  }

  /** Loads once; true when a different pair (certificate or key) is served from now on. */
  public boolean reload() {
    try {
      Optional<ServingCertificate> loaded = source.load();
      if (loaded.isEmpty()) {
        return false;
      }
      ServingCertificate next = loaded.get();
      ServingCertificate previous = current.get();
      if (previous != null && previous.fingerprint().equals(next.fingerprint())) {
        return false;
      }
      apply
          .apply(next)
          .toCompletionStage()
          .toCompletableFuture()
          .get(APPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      current.set(next);
      LOG.log(
          Level.INFO,
          "serving certificate reloaded: "
              + next.leaf().getSubjectX500Principal().getName()
              + " valid until "
              + next.leaf().getNotAfter().toInstant());
      return true;
    } catch (Exception e) {
      LOG.log(Level.WARNING, "certificate reload failed (serving the current one): " + e);
      return false;
    }
  }
}
