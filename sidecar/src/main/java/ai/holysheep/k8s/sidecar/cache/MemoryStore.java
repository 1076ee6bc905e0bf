package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process LRU bounded by the bytes it holds (keys, bodies and a fixed per-entry overhead), with
 * a TTL per entry. Synchronized because the proxy may call it from several event loops; every
 * operation is short and never does I/O.
 */
final class MemoryStore implements CacheStore {
  private record Slot(StoredEntry entry, Instant expiresAt, long bytes) {}

  private final long limitBytes;
  private final Clock clock;
  private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
  private long usedBytes;

  MemoryStore(long limitBytes, Clock clock) {
    this.limitBytes = limitBytes;
    this.clock = clock;
  }

  @Override
  public synchronized Future<Void> put(String key, StoredEntry entry, Duration ttl) {
    long bytes = sizeOf(key, entry);
    remove(key);
    if (bytes > limitBytes) {
      return Future.succeededFuture();
    }
    dropExpired(clock.instant());
    while (usedBytes + bytes > limitBytes && !slots.isEmpty()) {
      remove(slots.keySet().iterator().next());
    }
    slots.put(key, new Slot(entry, entry.storedAt().plus(ttl), bytes));
    usedBytes += bytes;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<StoredEntry>> getAll(List<String> keys) {
    Instant now = clock.instant();
    List<StoredEntry> found = new ArrayList<>(keys.size());
    for (String key : keys) {
      Slot slot = slots.get(key);
      if (slot != null && !now.isBefore(slot.expiresAt())) {
        remove(key);
        slot = null;
      }
      found.add(slot == null ? null : slot.entry());
    }
    return Future.succeededFuture(found);
  }

  @Override
  public synchronized Future<Void> close() {
    slots.clear();
    usedBytes = 0;
    return Future.succeededFuture();
  }

  synchronized long usedBytes() {
    return usedBytes;
  }

  synchronized int size() {
    return slots.size();
  }

  private void dropExpired(Instant now) {
    Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
    while (it.hasNext()) {
      Slot slot = it.next().getValue();
      if (!now.isBefore(slot.expiresAt())) {
        usedBytes -= slot.bytes();
        it.remove();
      }
    }
  }

  private void remove(String key) {
    Slot removed = slots.remove(key);
    if (removed != null) {
      usedBytes -= removed.bytes();
    }
  }

  static long sizeOf(String key, StoredEntry entry) {
    long contentType = entry.contentType() == null ? 0 : entry.contentType().length();
    return CacheDefaults.MEMORY_ENTRY_OVERHEAD_BYTES
        + 2L * key.length()
        + 2L * contentType
        + entry.body().length();
  }
}
