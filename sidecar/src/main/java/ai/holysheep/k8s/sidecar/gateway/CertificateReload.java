package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the certificate files again on every tick and gives every listener the new pair when it
 * changed, without dropping connections. Kubernetes updates a mounted Secret by swapping a symlink,
 * which a watch on the files misses; comparing the content each tick does not. A bad pair
 * (half-written, mismatched) is logged once and the last good one stays.
 */
final class CertificateReload {
  private static final System.Logger LOG = System.getLogger(CertificateReload.class.getName());

  private final Vertx vertx;
  private final GatewayTlsOptions files;
  private final AtomicReference<ServingCertificate> current = new AtomicReference<>();
  private final List<HttpServer> servers = new ArrayList<>();
  private String lastProblem;
  private long timer = -1;

  CertificateReload(Vertx vertx, GatewayTlsOptions files, ServingCertificate initial) {
    this.vertx = vertx;
    this.files = files;
    current.set(initial);
  }

  synchronized void start(List<HttpServer> listeners) {
    servers.addAll(listeners);
    if (timer < 0) {
      timer = vertx.setPeriodic(files.reloadInterval().toMillis(), id -> tick());
    }
  }

  synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  ServingCertificate current() {
    return current.get();
  }

  Instant notAfter() {
    return current.get().leaf().getNotAfter().toInstant();
  }

  /** Loads once; true when the listeners now serve a different certificate. */
  Future<Boolean> tick() {
    return vertx
        .executeBlocking(() -> ServingCertificate.load(vertx, files), false)
        .compose(this::applyIfChanged)
        .recover(
            failure -> {
              report(failure.getMessage());
              return Future.succeededFuture(false);
            });
  }

  private Future<Boolean> applyIfChanged(ServingCertificate next) {
    if (next.sameFilesAs(current.get())) {
      report(null);
      return Future.succeededFuture(false);
    }
    List<Future<Boolean>> updates = new ArrayList<>();
    synchronized (this) {
      for (HttpServer server : servers) {
        updates.add(server.updateSSLOptions(next.sslOptions()));
      }
    }
    return Future.all(updates)
        .map(
            done -> {
              current.set(next);
              report(null);
              LOG.log(
                  System.Logger.Level.INFO,
                  "gateway certificate reloaded: {0}, valid until {1}",
                  next.leaf().getSubjectX500Principal().getName(),
                  next.leaf().getNotAfter().toInstant());
              return true;
            });
  }

  private synchronized void report(String problem) {
    if (problem != null && !problem.equals(lastProblem)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "gateway certificate not reloaded, still serving the previous one: {0}",
          problem);
    }
    lastProblem = problem;
  }
}
