package ai.holysheep.k8s.sidecar.cache;

import java.time.Duration;

/** Tuning the cache schema does not expose; each value is a deliberate, documented choice. */
final class CacheDefaults {
  /**
   * Upper bound of every Redis call, connect included: a stale answer is a last resort, so a slow
   * Redis must cost the failing request at most this much, and a healthy one answers in well under
   * a millisecond on the same network.
   */
  static final Duration REDIS_COMMAND_TIMEOUT = Duration.ofMillis(250);

  /** Bound of the first connection at startup, which stores wait for (they are asynchronous). */
  static final Duration REDIS_WARM_UP_TIMEOUT = Duration.ofSeconds(5);

  /** TCP connect bound for Redis; kept below the command timeout. */
  static final Duration REDIS_CONNECT_TIMEOUT = Duration.ofMillis(200);

  /** Pooled Redis connections per sidecar: lookups happen only when every upstream failed. */
  static final int REDIS_MAX_POOL_SIZE = 4;

  /** Callers queued for a pooled connection before new ones are refused at once. */
  static final int REDIS_MAX_POOL_WAITING = 32;

  /** Commands pipelined on one connection before new ones are refused at once. */
  static final int REDIS_MAX_WAITING_HANDLERS = 64;

  /** Least time between two re-reads of the Redis password after failures (a rotated Secret). */
  static final Duration PASSWORD_RECHECK_INTERVAL = Duration.ofSeconds(10);

  /** Bytes charged to a memory entry beyond its key and body: object headers, map node, times. */
  static final long MEMORY_ENTRY_OVERHEAD_BYTES = 160;

  /** Key namespace in a shared Redis; bump the version when the stored value format changes. */
  static final String KEY_PREFIX = "holysheep:v1:";

  /** Namespace used when the sidecar runs outside Kubernetes (no HOLYSHEEP_POD_NAMESPACE). */
  static final String NAMESPACE_WHEN_UNSET = "default";

  private CacheDefaults() {}
}
