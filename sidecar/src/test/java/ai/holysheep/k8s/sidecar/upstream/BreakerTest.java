package ai.holysheep.k8s.sidecar.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.CircuitBreakerSpec;
import ai.holysheep.k8s.sidecar.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerTest {
  private static final Duration RESET = Duration.ofSeconds(60);
  private static final Duration CALL = Duration.ofMillis(5);
  private final TestClock clock = new TestClock();
  private final Breaker breaker =
      Breaker.create("primary", new CircuitBreakerSpec(true, 5, 50, 20, RESET), clock);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertTrue(breaker.tryAcquirePermission());
      breaker.onFailure(CALL);
    }
  }

  @Test
  void opensAfterFiveConsecutiveFailures() {
    fail(4);
    assertEquals(BreakerState.CLOSED, breaker.state());
    fail(1);
    assertEquals(BreakerState.OPEN, breaker.state());
    assertEquals(clock.instant(), breaker.openedAt());
  }

  @Test
  void aSuccessResetsTheConsecutiveCount() {
    fail(4);
    assertTrue(breaker.tryAcquirePermission());
    breaker.onSuccess(CALL);
    fail(4);
    assertEquals(BreakerState.CLOSED, breaker.state());
  }

  @Test
  void opensOnFailureRateOverTheWindowWithoutAStreak() {
    for (int i = 0; i < 20; i++) {
      assertTrue(breaker.tryAcquirePermission());
      if (i % 2 == 0) {
        breaker.onFailure(CALL);
      } else {
        breaker.onSuccess(CALL);
      }
    }
    assertEquals(BreakerState.OPEN, breaker.state());
  }

  @Test
  void failsFastWhileOpenAndHalfOpensAfterResetTimeout() {
    fail(5);
    assertFalse(breaker.tryAcquirePermission());
    clock.advance(RESET.minusSeconds(1));
    assertFalse(breaker.tryAcquirePermission());
    clock.advance(Duration.ofSeconds(1));
    assertFalse(breaker.tryAcquirePermission(), "half-opens strictly after resetTimeout");
    clock.advance(Duration.ofMillis(1));
    assertTrue(breaker.tryAcquirePermission());
    assertEquals(BreakerState.HALF_OPEN, breaker.state());
    assertFalse(breaker.tryAcquirePermission(), "one trial call at a time");
  }

  @Test
  void closesOnSuccessInHalfOpen() {
    fail(5);
    clock.advance(RESET.plusMillis(1));
    assertTrue(breaker.tryAcquirePermission());
    breaker.onSuccess(CALL);
    assertEquals(BreakerState.CLOSED, breaker.state());
    assertNull(breaker.openedAt());
  }

  @Test
  void reopensOnFailureInHalfOpen() {
    fail(5);
    clock.advance(RESET.plusMillis(1));
    assertTrue(breaker.tryAcquirePermission());
    breaker.onFailure(CALL);
    assertEquals(BreakerState.OPEN, breaker.state());
  }

  @Test
  void releasedPermissionsAreNotCounted() {
    for (int i = 0; i < 30; i++) {
      assertTrue(breaker.tryAcquirePermission());
      breaker.release();
    }
    fail(4);
    assertEquals(BreakerState.CLOSED, breaker.state());
  }

  @Test
  void passingHealthCheckMovesOpenToHalfOpenNeverClosed() {
    fail(5);
    breaker.onHealthCheckPassed();
    assertEquals(BreakerState.HALF_OPEN, breaker.state());
    assertNotNull(breaker.openedAt());
    breaker.onHealthCheckPassed();
    assertEquals(BreakerState.HALF_OPEN, breaker.state());
  }

  @Test
  void disabledBreakerAlwaysPermits() {
    Breaker disabled = Breaker.create("x", new CircuitBreakerSpec(false, 1, 50, 20, RESET), clock);
    for (int i = 0; i < 10; i++) {
      assertTrue(disabled.tryAcquirePermission());
      disabled.onFailure(CALL);
    }
    assertEquals(BreakerState.CLOSED, disabled.state());
  }
}
