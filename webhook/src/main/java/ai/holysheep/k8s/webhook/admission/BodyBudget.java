package ai.holysheep.k8s.webhook.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bytes buffered across all requests at once. Each request's first {@code freePerRequest}
 * bytes are its own (bounded by the connection limit); beyond that, bytes are reserved here and a
 * request that would exceed the total is refused at once instead of growing the heap until it fails
 * for everyone (many connections each holding a partial 4 MB body).
 */
final class BodyBudget {
  private final long capacity;
  private final long freePerRequest;
  private final AtomicLong reserved = new AtomicLong();

  BodyBudget(long capacity, long freePerRequest) {
    this.capacity = capacity;
    this.freePerRequest = freePerRequest;
  }

  long capacity() {
    return capacity;
  }

  /** Bytes reserved by all requests now. */
  long reserved() {
    return reserved.get();
  }

  /** One request's share: grows with its body and is released once, whatever ends it. */
  final class Share {
    private long held;
    private boolean released;

    /**
     * Accounts for the body having grown to {@code total} bytes; false (nothing taken) when that
     * would exceed the budget.
     */
    synchronized boolean growTo(long total) {
      long needed = Math.max(0, total - freePerRequest) - held;
      if (released || needed <= 0) {
        return !released;
      }
      long after = reserved.addAndGet(needed);
      if (after > capacity) {
        reserved.addAndGet(-needed);
        return false;
      }
      held += needed;
      return true;
    }

    synchronized void release() {
      if (!released) {
        released = true;
        reserved.addAndGet(-held);
        held = 0;
      }
    }
  }

  Share share() {
    return new Share();
  }
}
