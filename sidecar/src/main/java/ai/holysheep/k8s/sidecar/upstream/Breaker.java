package ai.holysheep.k8s.sidecar.upstream;

import ai.holysheep.k8s.config.CircuitBreakerSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker for one upstream. Every granted permission must be settled exactly once by
 * {@link #onSuccess}, {@link #onFailure} or {@link #release}.
 */
public interface Breaker {

  static Breaker create(String upstream, CircuitBreakerSpec spec, Clock clock) {
    return spec.enabled() ? new Resilience4jBreaker(upstream, spec, clock) : new DisabledBreaker();
  }

  /** True when a call may go out now; moves an expired open breaker to half-open. */
  boolean tryAcquirePermission();

  void onSuccess(Duration elapsed);

  void onFailure(Duration elapsed);

  /** Gives back a permission whose call was not counted (pass-through answer, cancellation). */
  void release();

  BreakerState state();

  /** When the breaker last opened, or {@code null} while it is closed. */
  Instant openedAt();

  /** A passing health check: open becomes half-open, never closed. */
  void onHealthCheckPassed();

  /** A successful call made in panic mode, without a permission. */
  void onPanicSuccess();

  /**
   * A failed active check of a closed breaker: counted like a failed call (the upstream is proven
   * down without waiting for traffic to time out). Open and half-open breakers ignore it.
   */
  void onHealthCheckFailed();

  /** Runs {@code listener} (on the thread that opened it) each time the breaker opens. */
  void onOpened(Runnable listener);

  final class DisabledBreaker implements Breaker {
    @Override
    public boolean tryAcquirePermission() {
      return true;
    }

    @Override
    public void onSuccess(Duration elapsed) {}

    @Override
    public void onFailure(Duration elapsed) {}

    @Override
    public void release() {}

    @Override
    public BreakerState state() {
      return BreakerState.CLOSED;
    }

    @Override
    public Instant openedAt() {
      return null;
    }

    @Override
    public void onHealthCheckPassed() {}

    @Override
    public void onPanicSuccess() {}

    @Override
    public void onHealthCheckFailed() {}

    @Override
    public void onOpened(Runnable listener) {}
  }
}
