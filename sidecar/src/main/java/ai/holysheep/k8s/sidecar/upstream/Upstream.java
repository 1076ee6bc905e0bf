package ai.holysheep.k8s.sidecar.upstream;

import ai.holysheep.k8s.config.UpstreamSpec;
import ai.holysheep.k8s.sidecar.config.ApiKey;
import ai.holysheep.k8s.sidecar.config.KeySource;
import ai.holysheep.k8s.sidecar.config.KeyStore;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One upstream: where it is, its client pool, key, breaker and what traffic taught us. */
public final class Upstream {
  private final UpstreamSpec spec;
  private final int priority;
  private final UpstreamTarget target;
  private final HttpClientAgent client;
  private final Breaker breaker;
  private final KeyStore keys;
  private final Clock clock;

  private volatile Instant rateLimitedUntil = Instant.MIN;
  private volatile Instant lastActivity = Instant.MIN;
  private volatile HealthCheckResult lastCheck;
  private volatile boolean authFailing;
  private volatile Set<String> knownModels = Set.of();
  private volatile double latencyEwmaMillis = -1;
  private volatile long lastLatencyMillis = -1;
  private final Set<Runnable> openWatchers = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Instant> modelLimits = new ConcurrentHashMap<>();
  private final RetryBudget retryBudget;

  /** Models with their own rate-limit state are kept up to this many (expired ones go first). */
  static final int MAX_LIMITED_MODELS = 64;

  Upstream(
      UpstreamSpec spec,
      int priority,
      UpstreamTarget target,
      HttpClientAgent client,
      Breaker breaker,
      KeyStore keys,
      Clock clock) {
    this.spec = spec;
    this.priority = priority;
    this.target = target;
    this.client = client;
    this.breaker = breaker;
    this.keys = keys;
    this.clock = clock;
    this.retryBudget = new RetryBudget(RetryOptions.defaults(), clock);
    breaker.onOpened(this::notifyOpened);
  }

  /**
   * Calls {@code watcher} when this upstream's breaker opens (on the thread that opened it), until
   * {@link #unwatchOpen}: an attempt waiting for an answer here then moves on.
   */
  public void watchOpen(Runnable watcher) {
    openWatchers.add(watcher);
  }

  public void unwatchOpen(Runnable watcher) {
    openWatchers.remove(watcher);
  }

  private void notifyOpened() {
    for (Runnable watcher : openWatchers) {
      watcher.run();
    }
  }

  public String name() {
    return spec.name();
  }

  public UpstreamSpec spec() {
    return spec;
  }

  /** 0 for the primary, then 1, 2, … for fallbacks in order. */
  public int priority() {
    return priority;
  }

  public UpstreamTarget target() {
    return target;
  }

  public HttpClientAgent client() {
    return client;
  }

  public Breaker breaker() {
    return breaker;
  }

  /** The current key, or {@code null}: an upstream without a key is disabled. */
  public ApiKey key() {
    return keys.key(spec);
  }

  public KeySource keySource() {
    ApiKey key = key();
    return key == null ? KeySource.MISSING : key.source();
  }

  public Instant rateLimitedUntil() {
    return rateLimitedUntil;
  }

  /** Until when requests for {@code model} (null: any model) should not come here. */
  public Instant rateLimitedUntil(String model) {
    Instant global = rateLimitedUntil;
    if (model == null || modelLimits.isEmpty()) {
      return global;
    }
    Instant forModel = modelLimits.get(model);
    return forModel != null && forModel.isAfter(global) ? forModel : global;
  }

  /**
   * Rate-limit state for one model, when the upstream said which model it limited: requests for
   * other models still come here.
   */
  public void rateLimitedFor(String model, Duration wait) {
    Instant now = clock.instant();
    if (modelLimits.size() >= MAX_LIMITED_MODELS) {
      modelLimits.values().removeIf(until -> !until.isAfter(now));
      if (modelLimits.size() >= MAX_LIMITED_MODELS) {
        rateLimitedFor(wait);
        return;
      }
    }
    modelLimits.merge(model, now.plus(wait), (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Whether some model has its own rate-limit state here. */
  public boolean hasModelLimits() {
    return !modelLimits.isEmpty();
  }

  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** Shared rate-limit state: every request skips this upstream until the wait is over. */
  public void rateLimitedFor(Duration wait) {
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(rateLimitedUntil)) {
      rateLimitedUntil = until;
    }
  }

  public void recordActivity(Duration latency, boolean authFailure) {
    lastActivity = clock.instant();
    authFailing = authFailure;
    if (latency != null) {
      long millis = latency.toMillis();
      lastLatencyMillis = millis;
      double previous = latencyEwmaMillis;
      latencyEwmaMillis = previous < 0 ? millis : previous * 0.8 + millis * 0.2;
    }
  }

  public Instant lastActivity() {
    return lastActivity;
  }

  public boolean authFailing() {
    return authFailing;
  }

  public HealthCheckResult lastCheck() {
    return lastCheck;
  }

  void recordCheck(HealthCheckResult result) {
    lastCheck = result;
  }

  /** Healthy unless the breaker is open, the key is missing or the last check failed. */
  public boolean healthy() {
    HealthCheckResult check = lastCheck;
    return breaker.state() != BreakerState.OPEN
        && key() != null
        && (check == null || check.passed());
  }

  public Set<String> knownModels() {
    return knownModels;
  }

  public void learnModels(Set<String> models) {
    if (!models.isEmpty()) {
      knownModels = Set.copyOf(models);
    }
  }

  public long lastLatencyMillis() {
    return lastLatencyMillis;
  }

  public double latencyEwmaMillis() {
    return latencyEwmaMillis;
  }

  /** Outcome of one active health check. */
  public record HealthCheckResult(Instant at, boolean passed, int status, String error) {}
}
