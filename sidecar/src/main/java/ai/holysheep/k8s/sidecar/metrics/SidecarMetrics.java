package ai.holysheep.k8s.sidecar.metrics;

import ai.holysheep.k8s.sidecar.upstream.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The DESIGN metric names. Counters are cached per label set so the hot path does one map lookup
 * and no registry work.
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
  private final ConcurrentMap<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> firstBytes = new ConcurrentHashMap<>();

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
    counter(
            "holysheep.requests",
            "upstream",
            upstream,
            "status",
            statusLabel(status),
            "outcome",
            outcome)
        .increment();
    durations
        .computeIfAbsent(upstream, u -> timer("holysheep.request.duration", u))
        .record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  public void timeToFirstByte(String upstream, long elapsedNanos) {
    firstBytes
        .computeIfAbsent(upstream, u -> timer("holysheep.time.to.first.byte", u))
        .record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  public void attempt(String upstream, String result) {
    counter("holysheep.upstream.attempts", "upstream", upstream, "result", result, null, null)
        .increment();
  }

  public void failover(String from, String to, String reason) {
    counter("holysheep.failovers", "from", from, "to", to, "reason", reason).increment();
  }

  public void tokens(Upstream upstream, Usage usage) {
    String model =
        usage.model() != null && upstream.knownModels().contains(usage.model())
            ? usage.model()
            : OTHER_MODEL;
    if (usage.promptTokens() > 0) {
      counter("holysheep.tokens", "upstream", upstream.name(), "model", model, "type", "prompt")
          .increment(usage.promptTokens());
    }
    if (usage.completionTokens() > 0) {
      counter("holysheep.tokens", "upstream", upstream.name(), "model", model, "type", "completion")
          .increment(usage.completionTokens());
    }
  }

  private Counter counter(
      String name, String k1, String v1, String k2, String v2, String k3, String v3) {
    List<String> key = k3 == null ? List.of(name, v1, v2) : List.of(name, v1, v2, v3);
    Counter counter = counters.get(key);
    if (counter == null) {
      Counter.Builder builder = Counter.builder(name).tag(k1, v1).tag(k2, v2);
      if (k3 != null) {
        builder.tag(k3, v3);
      }
      counter = counters.computeIfAbsent(key, k -> builder.register(registry));
    }
    return counter;
  }

  private Timer timer(String name, String upstream) {
    return Timer.builder(name)
        .tag("upstream", upstream)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  private static String statusLabel(int status) {
    return switch (status) {
      case 200 -> "200";
      case 400 -> "400";
      case 429 -> "429";
      case 502 -> "502";
      case 503 -> "503";
      case 504 -> "504";
      default -> Integer.toString(status);
    };
  }
}
