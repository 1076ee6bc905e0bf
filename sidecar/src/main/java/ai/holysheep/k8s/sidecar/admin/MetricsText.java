package ai.holysheep.k8s.sidecar.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus text exposition of the registry. */
final class MetricsText {
  private MetricsText() {}

  static String scrape(PrometheusMeterRegistry registry) {
    return registry.scrape();
  }
}
