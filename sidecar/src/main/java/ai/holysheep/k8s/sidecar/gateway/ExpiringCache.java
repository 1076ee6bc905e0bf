package ai.holysheep.k8s.sidecar.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded map whose entries are fresh until one instant and still usable (stale) until a later
 * one; the least recently used entry goes first when it is full. Shared by the event loops, so
 * every access is synchronized (each is a map operation, far cheaper than the API call it saves).
 */
final class ExpiringCache<K, V> {
  private record Entry<V>(V value, Instant freshUntil, Instant usableUntil) {}

  private final Clock clock;
  private final Map<K, Entry<V>> entries;

  ExpiringCache(int maxEntries, Clock clock) {
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** The value while fresh, else null. */
  synchronized V fresh(K key) {
    Entry<V> entry = entries.get(key);
    return entry != null && clock.instant().isBefore(entry.freshUntil()) ? entry.value() : null;
  }

  /** The value while usable (fresh or stale), else null; a dead entry is dropped. */
  synchronized V usable(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.usableUntil())) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  synchronized void put(K key, V value, Instant freshUntil, Instant usableUntil) {
    entries.put(key, new Entry<>(value, freshUntil, usableUntil));
  }

  synchronized int size() {
    return entries.size();
  }
}
