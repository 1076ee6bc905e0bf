package ai.holysheep.k8s.sidecar.cache;

import static ai.holysheep.k8s.sidecar.cache.CacheTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private static final Duration TTL = Duration.ofMinutes(10);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void evictsLeastRecentlyUsedEntriesWhenTheByteLimitIsReached() throws Exception {
    long entryBytes = MemoryStore.sizeOf("k1", entry(1000));
    MemoryStore store = new MemoryStore(3 * entryBytes, clock);
    store.put("k1", entry(1000), TTL);
    store.put("k2", entry(1000), TTL);
    store.put("k3", entry(1000), TTL);
    await(store.getAll(List.of("k1"))); // k1 is now the most recently used
    store.put("k4", entry(1000), TTL);

    List<StoredEntry> found = await(store.getAll(List.of("k1", "k2", "k3", "k4")));
    assertNotNull(found.get(0));
    assertNull(found.get(1), "k2 was the least recently used");
    assertNotNull(found.get(2));
    assertNotNull(found.get(3));
    assertEquals(3 * entryBytes, store.usedBytes());
  }

  @Test
  void oneLargeEntryEvictsAsManySmallOnesAsItNeeds() throws Exception {
    long small = MemoryStore.sizeOf("s1", entry(100));
    MemoryStore store = new MemoryStore(4 * small, clock);
    for (int i = 1; i <= 4; i++) {
      store.put("s" + i, entry(100), TTL);
    }
    store.put("b1", entry((int) (2 * small)), TTL);

    List<StoredEntry> found = await(store.getAll(List.of("s1", "s2", "s3", "s4", "b1")));
    assertEquals(3, found.stream().filter(e -> e == null).count(), found.toString());
    assertNotNull(found.get(4));
    assertTrue(store.usedBytes() <= 4 * small);
  }

  @Test
  void anEntryLargerThanTheWholeLimitIsNotKeptAndEvictsNothing() throws Exception {
    MemoryStore store = new MemoryStore(2_000, clock);
    store.put("small", entry(100), TTL);
    store.put("huge", entry(5_000), TTL);
    assertEquals(Arrays.asList(entry(100).body(), null), bodies(store, "small", "huge"));
  }

  @Test
  void replacingAKeyDoesNotCountItsBytesTwice() throws Exception {
    MemoryStore store = new MemoryStore(10_000, clock);
    store.put("k", entry(500), TTL);
    store.put("k", entry(700), TTL);
    assertEquals(1, store.size());
    assertEquals(MemoryStore.sizeOf("k", entry(700)), store.usedBytes());
  }

  @Test
  void entriesExpireAfterTheirTtlAndAreDropped() throws Exception {
    MemoryStore store = new MemoryStore(10_000, clock);
    store.put("k", entry(10), Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertNotNull(await(store.getAll(List.of("k"))).get(0));
    clock.advance(Duration.ofSeconds(1));
    assertNull(await(store.getAll(List.of("k"))).get(0));
    assertEquals(0, store.size());
    assertEquals(0, store.usedBytes());
  }

  @Test
  void expiredEntriesAreDroppedBeforeLiveOnesAreEvicted() throws Exception {
    long bytes = MemoryStore.sizeOf("k1", entry(100));
    MemoryStore store = new MemoryStore(2 * bytes, clock);
    store.put("k1", entry(100), Duration.ofSeconds(10));
    store.put("k2", entry(100), Duration.ofMinutes(10));
    clock.advance(Duration.ofSeconds(5));
    await(store.getAll(List.of("k1"))); // k1 most recently used, k2 least
    clock.advance(Duration.ofSeconds(6)); // k1 expired, k2 live
    store.put("k3", entry(100), Duration.ofMinutes(10));
    List<StoredEntry> found = await(store.getAll(List.of("k2", "k3")));
    assertNotNull(found.get(0));
    assertNotNull(found.get(1));
  }

  private List<Buffer> bodies(MemoryStore store, String... keys) throws Exception {
    return await(store.getAll(List.of(keys))).stream()
        .map(e -> e == null ? null : e.body())
        .toList();
  }

  private StoredEntry entry(int bodyBytes) {
    return new StoredEntry(
        200, "application/json", Buffer.buffer(new byte[bodyBytes]), clock.instant());
  }
}
