package ai.holysheep.k8s.sidecar.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final TestClock clock = new TestClock();
  private final RetryOptions options =
      new RetryOptions(
          0.2, 2, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(2));
  private final RetryBudget budget = new RetryBudget(options, clock);

  @Test
  void allowsTheFloorThenOneRetryPerFiveAttempts() {
    assertTrue(budget.tryRetry());
    assertTrue(budget.tryRetry());
    assertFalse(budget.tryRetry(), "floor of 2 spent, 2 attempts are too few for more");
    for (int i = 0; i < 13; i++) {
      budget.recordAttempt();
    }
    assertTrue(budget.tryRetry(), "15 attempts allow 3 retries");
    assertFalse(budget.tryRetry());
  }

  @Test
  void theWindowForgetsOldRetries() {
    assertTrue(budget.tryRetry());
    assertTrue(budget.tryRetry());
    assertFalse(budget.tryRetry());
    clock.advance(Duration.ofSeconds(11));
    assertTrue(budget.tryRetry());
  }

  @Test
  void backoffDoublesWithEqualJitterUpToItsCap() {
    assertEquals(Duration.ofMillis(50), options.backoff(1, 0.0));
    assertEquals(Duration.ofMillis(100), options.backoff(1, 1.0));
    assertEquals(Duration.ofMillis(100), options.backoff(2, 0.0));
    assertEquals(Duration.ofMillis(1000), options.backoff(10, 0.0));
    assertEquals(Duration.ofMillis(2000), options.backoff(10, 1.0));
  }
}
