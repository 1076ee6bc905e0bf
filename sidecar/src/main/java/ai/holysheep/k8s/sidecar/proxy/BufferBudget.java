package ai.holysheep.k8s.sidecar.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** Pod-wide bound on request bytes held for replay; a request that does not fit streams through. */
public final class BufferBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public BufferBudget(long limitBytes) {
    this.limit = limitBytes;
  }

  public boolean tryAcquire(long bytes) {
    while (true) {
      long current = used.get();
      if (current + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }
}
