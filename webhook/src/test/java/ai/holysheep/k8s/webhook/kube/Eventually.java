package ai.holysheep.k8s.webhook.kube;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded wait for a condition that another thread (an informer, a watch) makes true. */
public final class Eventually {
  private static final Duration POLL = Duration.ofMillis(20);

  private Eventually() {}

  public static void await(String what, Duration timeout, BooleanSupplier condition)
      throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try {
      poller.scheduleWithFixedDelay(
          () -> {
            try {
              if (condition.getAsBoolean()) {
                done.complete(null);
              }
            } catch (RuntimeException e) {
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
}
