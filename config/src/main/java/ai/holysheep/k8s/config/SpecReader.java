package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.HolySheepConfig.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/** Reads and validates the whole spec; the nested parts have their own readers. */
final class SpecReader {
  static final List<String> FIELDS = specFields();
  static final List<String> CIRCUIT_BREAKER_FIELDS =
      List.of(
          "enabled",
          "failureThreshold",
          "failureRateThreshold",
          "slidingWindowSize",
          "resetTimeout");
  static final List<String> HEALTH_CHECK_FIELDS =
      List.of("enabled", "interval", "endpoint", "timeout");
  static final List<String> HEDGING_FIELDS = List.of("enabled", "delay");

  static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(5);
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);
  static final Duration MAX_RESPONSE_TIMEOUT = Duration.ofHours(24);
  static final Duration MAX_STREAM_IDLE_TIMEOUT = Duration.ofHours(1);
  static final Duration MAX_RESET_TIMEOUT = Duration.ofHours(1);
  static final Duration MAX_HEALTH_INTERVAL = Duration.ofHours(1);
  static final int MAX_RETRIES = 10;
  static final int MAX_FAILURE_THRESHOLD = 1000;
  static final int MAX_SLIDING_WINDOW = 10_000;
  static final Duration MAX_HEALTH_TIMEOUT = Duration.ofMinutes(5);
  static final Duration MAX_HEDGING_DELAY = Duration.ofHours(1);
  static final long MIN_EVENT_SIZE = 1024;
  static final long MAX_EVENT_SIZE = 256L * 1024 * 1024;

  private SpecReader() {}

  /** The primary's fields first (as a fallback has them), then the request and resilience ones. */
  private static List<String> specFields() {
    List<String> fields = new java.util.ArrayList<>(List.of("baseUrl"));
    fields.addAll(Upstreams.KEY_AND_TRUST_FIELDS);
    fields.addAll(
        List.of(
            "connectTimeout",
            "timeout",
            "responseTimeout",
            "streamIdleTimeout",
            "maxRetries",
            "circuitBreaker",
            "healthCheck",
            "fallbacks",
            "cache",
            "hedging",
            "maxEventSize"));
    return List.copyOf(fields);
  }

  static HolySheepConfig read(JsonNode tree) {
    Problems problems = new Problems();
    ObjectReader spec = ObjectReader.of(tree, "", problems, FIELDS);
    boolean allowInsecure = spec.bool("allowInsecure", DEFAULT_ALLOW_INSECURE);
    String baseUrl = Upstreams.baseUrl(spec, DEFAULT_BASE_URL, allowInsecure);
    KeySources.KeySource key = KeySources.read(spec, DEFAULT_API_KEY_SECRET_REF, null);
    String caFile = Upstreams.caFile(spec);
    String caPem = InlineCa.read(spec);
    Duration connect =
        spec.duration("connectTimeout", DEFAULT_CONNECT_TIMEOUT, MAX_CONNECT_TIMEOUT);
    Duration timeout = spec.duration("timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT);
    Duration response =
        spec.duration("responseTimeout", DEFAULT_RESPONSE_TIMEOUT, MAX_RESPONSE_TIMEOUT);
    Duration idle =
        spec.duration("streamIdleTimeout", DEFAULT_STREAM_IDLE_TIMEOUT, MAX_STREAM_IDLE_TIMEOUT);
    checkTimeoutFitsResponseTimeout(spec, timeout, response);
    int maxRetries = spec.integer("maxRetries", DEFAULT_MAX_RETRIES, 0, MAX_RETRIES);
    CircuitBreakerSpec breaker = circuitBreaker(spec);
    HealthCheckSpec health = healthCheck(spec);
    List<FallbackSpec> fallbacks = Upstreams.fallbacks(spec);
    CacheSpec cache = CacheReader.read(spec);
    HedgingSpec hedging = hedging(spec);
    long maxEventSize =
        spec.size("maxEventSize", DEFAULT_MAX_EVENT_SIZE_BYTES, MIN_EVENT_SIZE, MAX_EVENT_SIZE);
    problems.throwIfAny();
    return new HolySheepConfig(
        baseUrl,
        key.secretRef(),
        allowInsecure,
        caFile,
        connect,
        timeout,
        response,
        idle,
        maxRetries,
        breaker,
        health,
        fallbacks,
        cache,
        hedging,
        maxEventSize,
        key.file(),
        caPem);
  }

  private static HedgingSpec hedging(ObjectReader spec) {
    ObjectReader h =
        ObjectReader.of(spec.value("hedging"), "hedging", spec.problems(), HEDGING_FIELDS);
    return new HedgingSpec(
        h.bool("enabled", HedgingSpec.DEFAULT_ENABLED),
        h.duration("delay", HedgingSpec.DEFAULT_DELAY, MAX_HEDGING_DELAY));
  }

  /** Blames the field the user set: timeout if given, else responseTimeout. */
  private static void checkTimeoutFitsResponseTimeout(
      ObjectReader spec, Duration timeout, Duration response) {
    Problems problems = spec.problems();
    if (timeout.compareTo(response) <= 0
        || problems.has("timeout")
        || problems.has("responseTimeout")) {
      return;
    }
    if (spec.value("timeout") != null) {
      spec.bad(
          "timeout",
          Problems.quote(spec.value("timeout"))
              + " is longer than responseTimeout ("
              + Durations.format(response)
              + "); allowed: at most responseTimeout");
    } else {
      spec.bad(
          "responseTimeout",
          Problems.quote(spec.value("responseTimeout"))
              + " is shorter than timeout ("
              + Durations.format(timeout)
              + "); allowed: at least timeout");
    }
  }

  private static CircuitBreakerSpec circuitBreaker(ObjectReader spec) {
    ObjectReader cb =
        ObjectReader.of(
            spec.value("circuitBreaker"),
            "circuitBreaker",
            spec.problems(),
            CIRCUIT_BREAKER_FIELDS);
    return new CircuitBreakerSpec(
        cb.bool("enabled", CircuitBreakerSpec.DEFAULT_ENABLED),
        cb.integer(
            "failureThreshold",
            CircuitBreakerSpec.DEFAULT_FAILURE_THRESHOLD,
            1,
            MAX_FAILURE_THRESHOLD),
        cb.integer(
            "failureRateThreshold", CircuitBreakerSpec.DEFAULT_FAILURE_RATE_THRESHOLD, 1, 100),
        cb.integer(
            "slidingWindowSize",
            CircuitBreakerSpec.DEFAULT_SLIDING_WINDOW_SIZE,
            1,
            MAX_SLIDING_WINDOW),
        cb.duration("resetTimeout", CircuitBreakerSpec.DEFAULT_RESET_TIMEOUT, MAX_RESET_TIMEOUT));
  }

  private static HealthCheckSpec healthCheck(ObjectReader spec) {
    ObjectReader hc =
        ObjectReader.of(
            spec.value("healthCheck"), "healthCheck", spec.problems(), HEALTH_CHECK_FIELDS);
    boolean enabled = hc.bool("enabled", HealthCheckSpec.DEFAULT_ENABLED);
    Duration interval =
        hc.duration("interval", HealthCheckSpec.DEFAULT_INTERVAL, MAX_HEALTH_INTERVAL);
    String endpoint = hc.string("endpoint", HealthCheckSpec.DEFAULT_ENDPOINT);
    if (!Upstreams.isPath(endpoint)) {
      hc.bad(
          "endpoint",
          Problems.quote(endpoint)
              + " is not a path; allowed: '/' followed by path characters, no query or fragment,"
              + " at most 256 characters, e.g. /models");
      endpoint = HealthCheckSpec.DEFAULT_ENDPOINT;
    }
    Duration timeout = hc.duration("timeout", HealthCheckSpec.DEFAULT_TIMEOUT, MAX_HEALTH_TIMEOUT);
    return new HealthCheckSpec(enabled, interval, endpoint, timeout);
  }
}
