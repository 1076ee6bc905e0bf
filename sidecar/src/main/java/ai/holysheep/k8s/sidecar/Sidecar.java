package ai.holysheep.k8s.sidecar;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/** A running sidecar: proxy listeners, admin listener, upstream pools, health checks. */
public interface Sidecar {

  /** Starts listening; fails when a listener cannot bind or the config cannot be applied. */
  static Future<Sidecar> start(Vertx vertx, SidecarOptions options) {
    return SidecarServer.start(vertx, options);
  }

  /** Port of the first proxy listener. */
  int proxyPort();

  /** Actually bound proxy addresses (ports resolved). */
  List<ListenAddress> proxyAddresses();

  int adminPort();

  ListenAddress adminAddress();

  String configHash();

  PrometheusMeterRegistry registry();

  /**
   * Graceful stop: keeps serving for {@code drainWindow}, then stops accepting and lets in-flight
   * requests and streams finish for up to {@code finishTimeout}, then releases everything.
   */
  Future<Void> shutdown(Duration drainWindow, Duration finishTimeout);

  /** Completes when a shutdown (signal, {@code POST /shutdown} or {@link #shutdown}) finished. */
  Future<Void> terminated();

  /** Immediate stop (tests): closes listeners, pools and timers; does not close the Vertx. */
  Future<Void> close();
}
