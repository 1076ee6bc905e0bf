package ai.holysheep.k8s.sidecar.gateway;

import java.time.Clock;
import java.util.Objects;

/**
 * Everything the gateway front needs: its certificate, the API server, how tokens are reviewed,
 * which namespaces may call, and the bound on the namespace label of its metrics.
 */
public record GatewayOptions(
    GatewayTlsOptions tls,
    KubeApiOptions kubeApi,
    ReviewOptions review,
    AccessOptions access,
    int metricNamespaces,
    Clock clock) {
  /**
   * Distinct calling namespaces that get their own metric label; later ones count as {@code other},
   * so a cluster with many namespaces cannot blow up the series count.
   */
  public static final int DEFAULT_METRIC_NAMESPACES = 200;

  public GatewayOptions {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(kubeApi, "kubeApi");
    Objects.requireNonNull(review, "review");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(clock, "clock");
    if (metricNamespaces < 1) {
      throw new IllegalArgumentException(
          "metricNamespaces: " + metricNamespaces + "; allowed: at least 1");
    }
  }

  /** Defaults for everything but the API server, which depends on where the gateway runs. */
  public static GatewayOptions of(KubeApiOptions kubeApi) {
    return new GatewayOptions(
        GatewayTlsOptions.defaults(),
        kubeApi,
        ReviewOptions.defaults(),
        AccessOptions.defaults(),
        DEFAULT_METRIC_NAMESPACES,
        Clock.systemUTC());
  }

  public GatewayOptions withTls(GatewayTlsOptions value) {
    return new GatewayOptions(value, kubeApi, review, access, metricNamespaces, clock);
  }

  public GatewayOptions withReview(ReviewOptions value) {
    return new GatewayOptions(tls, kubeApi, value, access, metricNamespaces, clock);
  }

  public GatewayOptions withAccess(AccessOptions value) {
    return new GatewayOptions(tls, kubeApi, review, value, metricNamespaces, clock);
  }

  public GatewayOptions withMetricNamespaces(int value) {
    return new GatewayOptions(tls, kubeApi, review, access, value, clock);
  }

  public GatewayOptions withClock(Clock value) {
    return new GatewayOptions(tls, kubeApi, review, access, metricNamespaces, value);
  }
}
