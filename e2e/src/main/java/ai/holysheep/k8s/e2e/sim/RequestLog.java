package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;

/** Bounded record of received requests plus the counters tests wait on. Thread-safe. */
final class RequestLog {
  private final int maxRecorded;
  private final ArrayDeque<RecordedRequest> recorded = new ArrayDeque<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private int requests;
  private int connections;
  private int cancelled;

  private record Waiter(IntSupplier counter, int atLeast, Promise<Void> promise) {}

  RequestLog(int maxRecorded) {
    this.maxRecorded = maxRecorded;
  }

  void record(RecordedRequest request) {
    List<Promise<Void>> due;
    synchronized (this) {
      requests++;
      if (maxRecorded > 0) {
        if (recorded.size() == maxRecorded) {
          recorded.removeFirst();
        }
        recorded.addLast(request);
      }
      due = dueWaiters();
    }
    due.forEach(Promise::tryComplete);
  }

  void connectionAccepted() {
    List<Promise<Void>> due;
    synchronized (this) {
      connections++;
      due = dueWaiters();
    }
    due.forEach(Promise::tryComplete);
  }

  void requestCancelled() {
    List<Promise<Void>> due;
    synchronized (this) {
      cancelled++;
      due = dueWaiters();
    }
    due.forEach(Promise::tryComplete);
  }

  synchronized List<RecordedRequest> received() {
    return List.copyOf(recorded);
  }

  /**
   * The kept requests whose number (0 for the first received since the last clear) is at least
   * {@code since}, and the number the next request will get: one consistent snapshot, so a reader
   * that passes {@code next} back as {@code since} sees every kept request exactly once.
   */
  synchronized Page page(long since) {
    long first = requests - recorded.size();
    List<RecordedRequest> list = new ArrayList<>();
    long number = first;
    for (RecordedRequest request : recorded) {
      if (number++ >= since) {
        list.add(request);
      }
    }
    return new Page(list, requests);
  }

  /** Requests from a {@link #page(long)} call and the number the next request will get. */
  record Page(List<RecordedRequest> requests, long next) {}

  synchronized void clear() {
    recorded.clear();
    requests = 0;
  }

  synchronized int requests() {
    return requests;
  }

  synchronized int connections() {
    return connections;
  }

  synchronized int cancelled() {
    return cancelled;
  }

  Future<Void> awaitRequests(int atLeast) {
    return await(this::requests, atLeast);
  }

  Future<Void> awaitConnections(int atLeast) {
    return await(this::connections, atLeast);
  }

  Future<Void> awaitCancelled(int atLeast) {
    return await(this::cancelled, atLeast);
  }

  private synchronized Future<Void> await(IntSupplier counter, int atLeast) {
    if (counter.getAsInt() >= atLeast) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiters.add(new Waiter(counter, atLeast, promise));
    return promise.future();
  }

  /** Removes and returns the promises whose counter reached its target; call under the lock. */
  private List<Promise<Void>> dueWaiters() {
    if (waiters.isEmpty()) {
      return List.of();
    }
    List<Promise<Void>> due = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.counter().getAsInt() >= waiter.atLeast()) {
        it.remove();
        due.add(waiter.promise());
      }
    }
    return due;
  }
}
