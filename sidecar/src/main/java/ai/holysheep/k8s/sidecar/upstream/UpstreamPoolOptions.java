package ai.holysheep.k8s.sidecar.upstream;

/**
 * Connection pool bounds per upstream. A stream holds an HTTP/1.1 connection for its whole length
 * (minutes for a long generation), so the pool is sized for concurrent streams, not for request
 * rate: a request that waits for a pooled connection waits for another app's stream to end.
 *
 * @param http1MaxConnections HTTP/1.1 connections per upstream, one per concurrent request
 * @param http2MaxConnections HTTP/2 connections per upstream; each carries as many concurrent
 *     streams as the upstream's {@code SETTINGS_MAX_CONCURRENT_STREAMS} allows (commonly 100-250)
 * @param maxWaitQueue requests waiting for a connection beyond the limits; one more is refused
 *     locally ({@code 503 sidecar_overloaded}), never counted against the upstream
 */
public record UpstreamPoolOptions(
    int http1MaxConnections, int http2MaxConnections, int maxWaitQueue) {
  /**
   * 1,000+ concurrent streams per pod without waiting, twice over. An open stream costs the sidecar
   * about 40 KiB (both connections' buffers and state; {@code make bench}: 1,000 open streams add
   * ~40 MiB of working set), so the bound also keeps a runaway app from exhausting the pod's memory
   * before its file descriptors.
   */
  public static final int DEFAULT_HTTP1_MAX_CONNECTIONS = 2048;

  /** 16 connections carry 1,600 streams at a 100-stream limit per connection. */
  public static final int DEFAULT_HTTP2_MAX_CONNECTIONS = 16;

  /** Requests waiting for a connection once the limits are reached. */
  public static final int DEFAULT_MAX_WAIT_QUEUE = 1024;

  public UpstreamPoolOptions {
    if (http1MaxConnections < 1 || http2MaxConnections < 1 || maxWaitQueue < 0) {
      throw new IllegalArgumentException(
          "upstream pool: http1MaxConnections "
              + http1MaxConnections
              + " and http2MaxConnections "
              + http2MaxConnections
              + " must be at least 1, maxWaitQueue "
              + maxWaitQueue
              + " at least 0");
    }
  }

  public static UpstreamPoolOptions defaults() {
    return new UpstreamPoolOptions(
        DEFAULT_HTTP1_MAX_CONNECTIONS, DEFAULT_HTTP2_MAX_CONNECTIONS, DEFAULT_MAX_WAIT_QUEUE);
  }
}
