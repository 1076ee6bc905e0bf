package ai.holysheep.k8s.sidecar.upstream;

import ai.holysheep.k8s.config.CircuitBreakerSpec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * resilience4j keeps the failure-rate window and the open/half-open timing (on the injected clock);
 * a consecutive-failure counter on top opens the breaker after {@code failureThreshold} failures in
 * a row, which the count-based window alone cannot express.
 */
final class Resilience4jBreaker implements Breaker {
  private static final System.Logger LOG = System.getLogger(Resilience4jBreaker.class.getName());

  /** One trial call decides whether a half-open breaker closes. */
  static final int HALF_OPEN_TRIAL_CALLS = 1;

  private static final RuntimeException FAILURE =
      new RuntimeException("upstream failure", null, false, false) {};

  private final CircuitBreaker delegate;
  private final Clock clock;
  private final int failureThreshold;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile Instant openedAt;
  private volatile Runnable openedListener = () -> {};

  Resilience4jBreaker(String upstream, CircuitBreakerSpec spec, Clock clock) {
    this.clock = clock;
    this.failureThreshold = spec.failureThreshold();
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .clock(clock)
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(spec.slidingWindowSize())
            .minimumNumberOfCalls(spec.slidingWindowSize())
            .failureRateThreshold(spec.failureRateThreshold())
            .waitDurationInOpenState(spec.resetTimeout())
            .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_TRIAL_CALLS)
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .writableStackTraceEnabled(false)
            .build();
    this.delegate = CircuitBreaker.of(upstream, config);
    delegate
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.State to = event.getStateTransition().getToState();
              if (to == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
                openedListener.run();
              } else if (to == CircuitBreaker.State.CLOSED) {
                openedAt = null;
                consecutiveFailures.set(0);
              }
              LOG.log(
                  System.Logger.Level.INFO,
                  "upstream {0}: circuit breaker {1}",
                  upstream,
                  event.getStateTransition());
            });
  }

  @Override
  public boolean tryAcquirePermission() {
    return delegate.tryAcquirePermission();
  }

  @Override
  public void onSuccess(Duration elapsed) {
    consecutiveFailures.set(0);
    delegate.onSuccess(elapsed.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onFailure(Duration elapsed) {
    delegate.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, FAILURE);
    int failures = consecutiveFailures.incrementAndGet();
    if (failures >= failureThreshold && delegate.getState() == CircuitBreaker.State.CLOSED) {
      delegate.transitionToOpenState();
    }
  }

  @Override
  public void release() {
    delegate.releasePermission();
  }

  @Override
  public BreakerState state() {
    return switch (delegate.getState()) {
      case OPEN, FORCED_OPEN -> BreakerState.OPEN;
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      default -> BreakerState.CLOSED;
    };
  }

  @Override
  public Instant openedAt() {
    return state() == BreakerState.CLOSED ? null : openedAt;
  }

  @Override
  public void onHealthCheckPassed() {
    if (delegate.getState() == CircuitBreaker.State.OPEN) {
      delegate.transitionToHalfOpenState();
    }
  }

  @Override
  public void onPanicSuccess() {
    if (delegate.getState() != CircuitBreaker.State.CLOSED) {
      delegate.transitionToClosedState();
    }
  }

  @Override
  public void onHealthCheckFailed() {
    if (delegate.getState() == CircuitBreaker.State.CLOSED) {
      onFailure(Duration.ZERO);
    }
  }

  @Override
  public void onOpened(Runnable listener) {
    openedListener = listener;
  }

  Instant now() {
    return clock.instant();
  }
}
