package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One call per key at a time: callers that ask while a call for the same key is running share its
 * future, so a burst of requests with a new token costs one TokenReview, not one each.
 */
final class SingleFlight<K, V> {
  private final Map<K, Future<V>> running = new ConcurrentHashMap<>();

  /**
   * The running call for {@code key}, or a new one from {@code call}; {@code joined} tells which.
   */
  Future<V> run(K key, Supplier<Future<V>> call, Runnable joined) {
    Future<V> existing = running.get(key);
    if (existing != null) {
      joined.run();
      return existing;
    }
    Future<V> started = call.get();
    if (started.isComplete()) {
      return started;
    }
    Future<V> raced = running.putIfAbsent(key, started);
    if (raced != null) {
      joined.run();
      return raced;
    }
    started.onComplete(done -> running.remove(key, started));
    return started;
  }

  int running() {
    return running.size();
  }
}
