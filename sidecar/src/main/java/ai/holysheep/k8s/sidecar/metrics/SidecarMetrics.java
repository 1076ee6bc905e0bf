package ai.holysheep.k8s.sidecar.metrics;

import ai.holysheep.k8s.sidecar.upstream.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The DESIGN metric names. Each upstream's meters are resolved once ({@link UpstreamMeters}), so
 * the request path does one map get by upstream name and no registry work; histograms and
 * per-request series are registered when first used.
 */
public final class SidecarMetrics {
  public static final String OTHER_MODEL = "other";
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;
  private final ConcurrentMap<String, UpstreamMeters> upstreams = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Counter> failovers = new ConcurrentHashMap<>();

  public SidecarMetrics(MeterRegistry registry, String configHash, List<Upstream> upstreams) {
    this.registry = registry;
    Gauge.builder("holysheep.config.info", () -> 1)
        .description("Hash of the sidecar's resolved configuration")
        .tag("hash", configHash)
        .register(registry);
    for (Upstream upstream : upstreams) {
      Gauge.builder("holysheep.circuit.state", upstream, u -> u.breaker().state().gaugeValue())
          .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
          .tag("upstream", upstream.name())
          .register(registry);
      Gauge.builder("holysheep.upstream.healthy", upstream, u -> u.healthy() ? 1 : 0)
          .description(
              "1 when the upstream is usable: breaker not open, key present, check passing")
          .tag("upstream", upstream.name())
          .register(registry);
      Gauge.builder("holysheep.upstream.key.present", upstream, u -> u.key() != null ? 1 : 0)
          .description("1 when the upstream's API key is present; 0 disables the upstream")
          .tag("upstream", upstream.name())
          .register(registry);
    }
    for (String result : List.of("hit", "miss", "store", "error")) {
      Counter.builder("holysheep.cache.requests").tag("result", result).register(registry);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void request(String upstream, int status, String outcome, long elapsedNanos) {
    UpstreamMeters meters = meters(upstream);
    meters.request(status, outcome).increment();
    meters.duration().record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  public void timeToFirstByte(String upstream, long elapsedNanos) {
    meters(upstream).firstByte().record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  public void attempt(String upstream, String result) {
    meters(upstream).attempt(result).increment();
  }

  public void failover(String from, String to, String reason) {
    List<String> key = List.of(from, to, reason);
    Counter counter = failovers.get(key);
    if (counter == null) {
      counter =
          failovers.computeIfAbsent(
              key,
              k ->
                  Counter.builder("holysheep.failovers")
                      .tag("from", from)
                      .tag("to", to)
                      .tag("reason", reason)
                      .register(registry));
    }
    counter.increment();
  }

  public void tokens(Upstream upstream, Usage usage) {
    String model =
        usage.model() != null && upstream.knownModels().contains(usage.model())
            ? usage.model()
            : OTHER_MODEL;
    UpstreamMeters meters = meters(upstream.name());
    if (usage.promptTokens() > 0) {
      meters.tokens(model, UpstreamMeters.PROMPT).increment(usage.promptTokens());
    }
    if (usage.completionTokens() > 0) {
      meters.tokens(model, UpstreamMeters.COMPLETION).increment(usage.completionTokens());
    }
  }

  /** One map get per call; each upstream's meters are resolved once and kept. */
  private UpstreamMeters meters(String upstream) {
    UpstreamMeters meters = upstreams.get(upstream);
    return meters != null
        ? meters
        : upstreams.computeIfAbsent(
            upstream, u -> new UpstreamMeters(registry, u, LATENCY_BUCKETS));
  }
}
