package ai.holysheep.k8s.webhook.cli;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The periodic refresh (self-mode Secret, caBundle, certificate reload) on one thread of its own.
 * Ticks never overlap (the next is scheduled when the previous ends), never take an admission
 * worker, and an API server that stalls only delays the next tick. Extra ticks asked for by watch
 * events are coalesced into one.
 */
final class RefreshLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RefreshLoop.class.getName());

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread t = new Thread(runnable, "holysheep-refresh");
            t.setDaemon(true);
            return t;
          });
  private final Runnable tick;
  private final AtomicBoolean extraQueued = new AtomicBoolean();
  private final java.util.Map<Runnable, AtomicBoolean> stepsQueued =
      new java.util.concurrent.ConcurrentHashMap<>();

  RefreshLoop(Runnable tick) {
    this.tick = tick;
  }

  /** First tick after {@code interval}, then {@code interval} after each tick ends. */
  void start(Duration interval) {
    thread.scheduleWithFixedDelay(
        this::tickSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One extra tick as soon as the thread is free; several requests before it runs make one. */
  void soon() {
    if (extraQueued.compareAndSet(false, true)) {
      execute(
          () -> {
            extraQueued.set(false);
            tickSafely();
          });
    }
  }

  /**
   * Runs {@code step} (one part of a tick, e.g. the caBundle reconcile after a watch event) on the
   * refresh thread after {@code delay}; requests for the same step that arrive before it runs make
   * one run.
   */
  void runAfter(Runnable step, Duration delay) {
    AtomicBoolean queued = stepsQueued.computeIfAbsent(step, s -> new AtomicBoolean());
    Runnable once =
        () -> {
          if (queued.compareAndSet(true, false)) {
            safely(step);
          }
        };
    if (delay.isZero() || delay.isNegative()) {
      if (!queued.getAndSet(true)) {
        execute(once);
      }
      return;
    }
    try {
      thread.schedule(
          () -> {
            if (!queued.getAndSet(true)) {
              once.run();
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // shutting down
    }
  }

  private void execute(Runnable work) {
    try {
      thread.execute(work);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // shutting down
    }
  }

  /** Runs {@code work} on the refresh thread (so never during a tick). */
  <T> CompletableFuture<T> submit(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(
        () -> {
          try {
            result.complete(work.call());
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private void tickSafely() {
    safely(tick);
  }

  private static void safely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "refresh failed (next tick retries): " + e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
