package ai.holysheep.k8s.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Asks a {@link CertificateSource} on every tick and hands a changed certificate to the server
 * without a restart. Ticks come from a periodic Vert.x timer, or from {@link #tick()} in tests.
 */
public final class CertificateReloader {
  private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

  private final Vertx vertx;
  private final CertificateSource source;
  private final Function<ServingCertificate, Future<?>> apply;
  private final AtomicReference<ServingCertificate> current = new AtomicReference<>();
  private long timerId = -1;

  /**
   * @param apply installs a new certificate (e.g. {@code server.updateSSLOptions}); the reloader
   *     remembers it as current only once that succeeds
   */
  public CertificateReloader(
      Vertx vertx,
      CertificateSource source,
      ServingCertificate initial,
      Function<ServingCertificate, Future<?>> apply) {
    this.vertx = vertx;
    this.source = source;
    this.apply = apply;
    current.set(initial);
  }

  public ServingCertificate current() {
    return current.get();
  }

  public synchronized void start(Duration interval) {
    if (timerId < 0) {
      timerId = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }
  }

  public synchronized void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** Loads once; completes with true when a different certificate is now served. */
  public Future<Boolean> tick() {
    return vertx
        .executeBlocking(source::load, false)
        .compose(this::applyIfChanged)
        .recover(
            e -> {
              LOG.log(Level.WARNING, "certificate reload failed: " + e.getMessage());
              return Future.succeededFuture(false);
            });
  }

  private Future<Boolean> applyIfChanged(Optional<ServingCertificate> loaded) {
    if (loaded.isEmpty()) {
      return Future.succeededFuture(false);
    }
    ServingCertificate next = loaded.get();
    ServingCertificate previous = current.get();
    if (previous != null && previous.fingerprint().equals(next.fingerprint())) {
      return Future.succeededFuture(false);
    }
    return apply
        .apply(next)
        .map(
            ignored -> {
              current.set(next);
              LOG.log(
                  Level.INFO,
                  "serving certificate reloaded: "
                      + next.leaf().getSubjectX500Principal().getName()
                      + " valid until "
                      + next.leaf().getNotAfter().toInstant());
              return true;
            });
  }
}
