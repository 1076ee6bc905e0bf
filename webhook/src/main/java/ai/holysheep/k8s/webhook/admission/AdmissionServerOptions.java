package ai.holysheep.k8s.webhook.admission;

import java.time.Duration;

/**
 * Listener settings of the webhook. Every bound exists because the webhook sits on the path of
 * every opted-in pod creation ({@code failurePolicy: Fail}): no client, slow, stuck or hostile, may
 * starve it of connections, memory or workers.
 *
 * @param host bind address
 * @param port TLS port; 0 picks a free one (tests)
 * @param maxBodyBytes larger request bodies get HTTP 413
 * @param maxBufferedBytes request bytes buffered across all requests beyond {@link
 *     #FREE_BYTES_PER_REQUEST} each; a request that would exceed it gets HTTP 429 at once
 * @param maxConnections open connections beyond this are closed as they arrive
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param requestHeadTimeout a new connection must bring its first request head within this
 * @param bodyReadTimeout a request body must arrive whole within this of its head (HTTP 408)
 * @param workerThreads threads that run admissions (decode, inject, diff), apart from everything
 *     else
 * @param lingerTime after a 413 or 429 sent before the body was read whole, the rest of the body is
 *     read and dropped for at most this long before the connection is closed
 * @param lingerBytes ... and at most this many bytes of it; a rest declared longer is not waited
 *     for
 */
public record AdmissionServerOptions(
    String host,
    int port,
    long maxBodyBytes,
    long maxBufferedBytes,
    int maxConnections,
    Duration idleTimeout,
    Duration requestHeadTimeout,
    Duration bodyReadTimeout,
    int workerThreads,
    Duration lingerTime,
    long lingerBytes) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8443;

  /** 4 MiB: the API server's own request limit is 3 MiB, so a real review always fits. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  /**
   * Bytes of every request that never count against {@link #maxBufferedBytes}: a real review of one
   * pod is a few KiB, so only unusually large bodies compete for the shared budget.
   */
  public static final long FREE_BYTES_PER_REQUEST = 64L * 1024;

  /** 16 MiB: a parsed review takes several times its size in heap; the chart's heap is ~350 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L * 1024 * 1024;

  /** API servers keep a few keep-alive connections each; 512 leaves room for many of them. */
  public static final int DEFAULT_MAX_CONNECTIONS = 512;

  /** Longer than the API server's idle keep-alive (90 s), so the client closes idle ones first. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

  /** A client connects to send a request at once; a half request line is not worth a socket. */
  public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);

  /** Twice the API server's default webhook timeout (5 s; at most 30 s): it gave up by then. */
  public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(10);

  /** Admissions are CPU-bound and short: a thread per core, at least two. */
  public static final int DEFAULT_WORKER_THREADS =
      Math.max(2, Runtime.getRuntime().availableProcessors());

  /**
   * 10 s, as long as a whole body may take ({@link #DEFAULT_BODY_READ_TIMEOUT}): a client sending
   * at any usable speed is done far sooner, and the slot it holds meanwhile is one it could hold
   * anyway.
   */
  public static final Duration DEFAULT_LINGER_TIME = Duration.ofSeconds(10);

  /**
   * 8 MiB, twice {@link #DEFAULT_MAX_BODY_BYTES}: the rest of any body refused as busy, and of a
   * body up to twice the limit; reading it costs decryption, not memory (it is dropped as it
   * arrives).
   */
  public static final long DEFAULT_LINGER_BYTES = 2 * DEFAULT_MAX_BODY_BYTES;

  public AdmissionServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port: " + port + " is not a port; expected 0-65535");
    }
    positive("maxBodyBytes", maxBodyBytes);
    positive("--max-buffered-bytes", maxBufferedBytes);
    positive("--max-connections", maxConnections);
    positive("--worker-threads", workerThreads);
    positive("idleTimeout", idleTimeout);
    positive("requestHeadTimeout", requestHeadTimeout);
    positive("--body-read-timeout", bodyReadTimeout);
    positive("--linger-time", lingerTime);
    positive("--linger-bytes", lingerBytes);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " must be positive");
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + value + " must be a positive duration");
    }
  }

  public static AdmissionServerOptions defaults() {
    return new AdmissionServerOptions(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_BUFFERED_BYTES,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_REQUEST_HEAD_TIMEOUT,
        DEFAULT_BODY_READ_TIMEOUT,
        DEFAULT_WORKER_THREADS,
        DEFAULT_LINGER_TIME,
        DEFAULT_LINGER_BYTES);
  }

  public AdmissionServerOptions withListener(String newHost, int newPort) {
    return new AdmissionServerOptions(
        newHost,
        newPort,
        maxBodyBytes,
        maxBufferedBytes,
        maxConnections,
        idleTimeout,
        requestHeadTimeout,
        bodyReadTimeout,
        workerThreads,
        lingerTime,
        lingerBytes);
  }

  public AdmissionServerOptions withLimits(
      long newMaxBodyBytes, long newMaxBufferedBytes, int newMaxConnections) {
    return new AdmissionServerOptions(
        host,
        port,
        newMaxBodyBytes,
        newMaxBufferedBytes,
        newMaxConnections,
        idleTimeout,
        requestHeadTimeout,
        bodyReadTimeout,
        workerThreads,
        lingerTime,
        lingerBytes);
  }

  public AdmissionServerOptions withTimeouts(Duration idle, Duration head, Duration body) {
    return new AdmissionServerOptions(
        host,
        port,
        maxBodyBytes,
        maxBufferedBytes,
        maxConnections,
        idle,
        head,
        body,
        workerThreads,
        lingerTime,
        lingerBytes);
  }

  public AdmissionServerOptions withWorkerThreads(int threads) {
    return new AdmissionServerOptions(
        host,
        port,
        maxBodyBytes,
        maxBufferedBytes,
        maxConnections,
        idleTimeout,
        requestHeadTimeout,
        bodyReadTimeout,
        threads,
        lingerTime,
        lingerBytes);
  }

  public AdmissionServerOptions withLinger(Duration time, long bytes) {
    return new AdmissionServerOptions(
        host,
        port,
        maxBodyBytes,
        maxBufferedBytes,
        maxConnections,
        idleTimeout,
        requestHeadTimeout,
        bodyReadTimeout,
        workerThreads,
        time,
        bytes);
  }
}
