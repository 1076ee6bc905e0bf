package ai.holysheep.k8s.sidecar.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's own metrics, next to the proxy's: who called and what happened to them ({@code
 * holysheep_gateway_requests_total{namespace,result}}), the Kubernetes API calls behind that and
 * the answer cache. The {@code namespace} label takes at most a bounded number of distinct values
 * (then {@code other}); a caller without a verified identity is {@code unknown}. No token, and no
 * ServiceAccount name, ever becomes a label.
 */
final class GatewayMetrics {
  static final String UNKNOWN_NAMESPACE = "unknown";
  static final String OTHER_NAMESPACE = "other";
  static final List<String> CACHE_RESULTS = List.of("hit", "miss", "stale", "joined");

  private final MeterRegistry registry;
  private final int maxNamespaces;
  private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  GatewayMetrics(MeterRegistry registry, int maxNamespaces) {
    this.registry = registry;
    this.maxNamespaces = maxNamespaces;
    for (String result : CACHE_RESULTS) {
      counter("holysheep.gateway.review.cache", "result", result);
    }
  }

  /** One caller request: {@code result} is {@code allowed} or a {@link Rejection} label. */
  void request(String namespace, String result) {
    counter("holysheep.gateway.requests", "namespace", label(namespace), "result", result)
        .increment();
  }

  /** One Kubernetes API call: {@code call} tokenreview or namespace, {@code result} ok or why. */
  void apiCall(String call, String result) {
    counter("holysheep.gateway.kube.api.calls", "call", call, "result", result).increment();
  }

  void reviewCache(String result) {
    counter("holysheep.gateway.review.cache", "result", result).increment();
  }

  /** Seconds until the served certificate expires (negative once it has). */
  void certificateExpiry(Supplier<Instant> notAfter, Clock clock) {
    Gauge.builder(
            "holysheep.gateway.certificate.expiry.seconds",
            () -> {
              Instant end = notAfter.get();
              return end == null
                  ? Double.NaN
                  : end.getEpochSecond() - clock.instant().getEpochSecond();
            })
        .description("Seconds until the gateway's serving certificate expires")
        .register(registry);
  }

  private String label(String namespace) {
    if (namespace == null) {
      return UNKNOWN_NAMESPACE;
    }
    if (namespaces.contains(namespace)) {
      return namespace;
    }
    synchronized (namespaces) {
      if (namespaces.size() < maxNamespaces) {
        namespaces.add(namespace);
        return namespace;
      }
    }
    return namespaces.contains(namespace) ? namespace : OTHER_NAMESPACE;
  }

  private Counter counter(String name, String... tags) {
    List<String> key = new java.util.ArrayList<>(tags.length + 1);
    key.add(name);
    key.addAll(List.of(tags));
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
  }
}
