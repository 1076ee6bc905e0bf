package ai.holysheep.k8s.webhook.admission;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Admissions running on the worker threads, by start time. One running far longer than any API
 * server waits (30 s at most) is stuck (a loop, a deadlock): the process cannot recover from that
 * by itself, so liveness fails and the kubelet restarts it.
 */
final class WorkerWatch {
  /** Six times the longest webhook timeout an API server allows. */
  static final Duration STUCK_AFTER = Duration.ofMinutes(3);

  private final LongSupplier nanoTime;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Long> running = new ConcurrentHashMap<>();

  WorkerWatch(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  long started() {
    long id = ids.incrementAndGet();
    running.put(id, nanoTime.getAsLong());
    return id;
  }

  void finished(long id) {
    running.remove(id);
  }

  int running() {
    return running.size();
  }

  /** Empty while no admission has run longer than {@link #STUCK_AFTER}. */
  Optional<String> stuck() {
    long now = nanoTime.getAsLong();
    long oldest = running.values().stream().mapToLong(start -> now - start).max().orElse(0);
    if (oldest < STUCK_AFTER.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(
        "an admission has been running for "
            + Duration.ofNanos(oldest).toSeconds()
            + " s on the worker pool (stuck; the API server gave up long ago)");
  }
}
