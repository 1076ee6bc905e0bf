package ai.holysheep.k8s.sidecar.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code holysheep_cache_requests_total{result=hit|miss|store|error}}. */
final class CacheMetrics {
  /** Micrometer name; the Prometheus registry renders it {@code holysheep_cache_requests_total}. */
  static final String REQUESTS = "holysheep.cache.requests";

  private final Counter hit;
  private final Counter miss;
  private final Counter store;
  private final Counter error;

  CacheMetrics(MeterRegistry registry) {
    this.hit = counter(registry, "hit");
    this.miss = counter(registry, "miss");
    this.store = counter(registry, "store");
    this.error = counter(registry, "error");
  }

  void hit() {
    hit.increment();
  }

  void miss() {
    miss.increment();
  }

  void stored() {
    store.increment();
  }

  void error() {
    error.increment();
  }

  private static Counter counter(MeterRegistry registry, String result) {
    return Counter.builder(REQUESTS)
        .description("Stale-cache lookups and stores by result")
        .tag("result", result)
        .register(registry);
  }
}
