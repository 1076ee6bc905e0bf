package ai.holysheep.k8s.sidecar.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The meters of one upstream, each resolved from the registry once and then kept: the request path
 * increments a field or a map entry, never builds tags or looks a meter up in the registry. The
 * last {@code (status, outcome)} counter is remembered, since nearly every request has the same
 * one.
 */
final class UpstreamMeters {
  static final int PROMPT = 0;
  static final int COMPLETION = 1;

  private final MeterRegistry registry;
  private final String upstream;
  private final Duration[] latencyBuckets;
  private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> attempts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter[]> tokens = new ConcurrentHashMap<>();
  private volatile Timer duration;
  private volatile Timer firstByte;
  private volatile LastRequest lastRequest;

  /** An immutable pair, so that threads racing on {@link #lastRequest} see a consistent one. */
  private record LastRequest(int status, String outcome, Counter counter) {}

  UpstreamMeters(MeterRegistry registry, String upstream, Duration[] latencyBuckets) {
    this.registry = registry;
    this.upstream = upstream;
    this.latencyBuckets = latencyBuckets;
  }

  Counter request(int status, String outcome) {
    LastRequest last = lastRequest;
    if (last != null && last.status == status && last.outcome.equals(outcome)) {
      return last.counter;
    }
    String label = statusLabel(status);
    Counter counter =
        requests.computeIfAbsent(
            outcome + ' ' + label,
            k ->
                Counter.builder("holysheep.requests")
                    .tag("upstream", upstream)
                    .tag("status", label)
                    .tag("outcome", outcome)
                    .register(registry));
    lastRequest = new LastRequest(status, outcome, counter);
    return counter;
  }

  Counter attempt(String result) {
    Counter counter = attempts.get(result);
    return counter != null
        ? counter
        : attempts.computeIfAbsent(
            result,
            r ->
                Counter.builder("holysheep.upstream.attempts")
                    .tag("upstream", upstream)
                    .tag("result", r)
                    .register(registry));
  }

  /** {@code type}: {@link #PROMPT} or {@link #COMPLETION}; a series appears at its first count. */
  Counter tokens(String model, int type) {
    Counter[] pair = tokens.get(model);
    if (pair == null) {
      pair = tokens.computeIfAbsent(model, m -> new Counter[2]);
    }
    Counter counter = pair[type];
    if (counter == null) {
      // The registry returns the same counter to threads that race here.
      counter =
          Counter.builder("holysheep.tokens")
              .tag("upstream", upstream)
              .tag("model", model)
              .tag("type", type == PROMPT ? "prompt" : "completion")
              .register(registry);
      pair[type] = counter;
    }
    return counter;
  }

  /** Created at the first request, so an idle sidecar does not start with two histograms. */
  Timer duration() {
    Timer timer = duration;
    if (timer == null) {
      timer = timer("holysheep.request.duration");
      duration = timer;
    }
    return timer;
  }

  Timer firstByte() {
    Timer timer = firstByte;
    if (timer == null) {
      timer = timer("holysheep.time.to.first.byte");
      firstByte = timer;
    }
    return timer;
  }

  private Timer timer(String name) {
    // The registry returns the same timer to threads that race here.
    return Timer.builder(name)
        .tag("upstream", upstream)
        .serviceLevelObjectives(latencyBuckets)
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
