package ai.holysheep.k8s.webhook.kube;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits for a condition that another thread (an informer, a watch) makes true. */
public final class Eventually {
  private static final Duration POLL = Duration.ofMillis(20);

  /** A condition that may fail while it does not hold yet (HTTP errors, assertion errors). */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Eventually() {}

  /** Polls until {@code condition} holds; fails after {@code timeout}. */
  public static void await(String what, Duration timeout, Condition condition) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try {
      poller.scheduleWithFixedDelay(
          () -> {
            try {
              if (condition.holds()) {
                done.complete(null);
              }
            } catch (Exception | AssertionError e) {
              // not there yet (e.g. object not created); try again on the next poll
            }
          },
          0,
          POLL.toMillis(),
          TimeUnit.MILLISECONDS);
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    } finally {
      poller.shutdownNow();
    }
  }

  /**
   * Polls {@code condition} for {@code window} and fails as soon as it holds: for what must not
   * happen (a second refresh in flight, a write loop), observed over a bounded time.
   */
  public static void never(String what, Duration window, Condition condition) throws Exception {
    try {
      await(what, window, condition);
    } catch (AssertionError expected) {
      return;
    }
    throw new AssertionError("happened within " + window + ": " + what);
  }
}
