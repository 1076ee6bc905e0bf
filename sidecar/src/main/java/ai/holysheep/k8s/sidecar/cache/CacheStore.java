package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** Where entries live. Failed futures mean the store itself failed (counted as an error). */
interface CacheStore {
  Future<Void> put(String key, StoredEntry entry, Duration ttl);

  /** One result per key, in order, null where absent or expired. */
  Future<List<StoredEntry>> getAll(List<String> keys);

  Future<Void> close();
}
