package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.route.RouteClass.Replay;

/**
 * The failure table: why an attempt did not produce the answer, and what follows from it. {@code
 * reached} says how far the upstream may have got with the request (the route policy decides from
 * it whether the request may be sent again); {@code countsAgainstBreaker} whether the upstream's
 * breaker records a failure; {@code finalStatus} and {@code code} shape the sidecar's own error
 * when this was the last failure; {@code label} is the metric label value.
 *
 * <p>What is never a failure of the upstream (never counted, never retried): the app leaving, the
 * app's own deadline ({@code X-Stainless-Timeout}), a hedge that lost. Those cancel attempts
 * without a kind.
 */
public enum FailureKind {
  /** TCP connect refused or timed out, unknown host: nothing was sent. */
  CONNECT("connect_error", Replay.NOT_SENT, true, 502, "upstream_unreachable"),
  /** TLS handshake failed: nothing was sent. */
  TLS("tls_error", Replay.NOT_SENT, true, 502, "upstream_tls_failed"),
  /** The local pool's wait queue is full: our overload, never the upstream's failure. */
  POOL_BUSY("pool_busy", Replay.NOT_SENT, false, 503, "sidecar_overloaded"),
  /** The connection closed before any answer (a stale pooled connection is the usual cause). */
  RESET("reset", Replay.NOT_DONE, true, 502, "upstream_failed"),
  /** 500, 502, 503 (without Retry-After), 504, 520–524. */
  SERVER_ERROR("server_error", Replay.NOT_DONE, true, 502, "upstream_failed"),
  /** 529: the provider is overloaded. */
  OVERLOADED("overloaded", Replay.NOT_DONE, true, 503, "upstream_overloaded"),
  /** 408: the upstream (or a proxy before it) gave up waiting for the request. */
  REQUEST_TIMEOUT("request_timeout", Replay.NOT_DONE, true, 504, "upstream_timeout"),
  /** 429, or 503 with Retry-After: remembered as state, never a breaker failure. */
  RATE_LIMITED("rate_limited", Replay.NOT_DONE, false, 429, "rate_limit_exceeded"),
  /** 401, 402, 403 from the upstream: its key or its quota. */
  AUTH("auth_error", Replay.NOT_DONE, true, 502, "upstream_auth_failed"),
  /** A 2xx that is an HTML page, a JSON error object, or not SSE to a stream request. */
  BAD_ANSWER("bad_answer", Replay.NOT_DONE, true, 502, "upstream_bad_answer"),
  /** A stream silent for {@code timeout} before its first event. */
  TIMEOUT("timeout", Replay.NOT_DONE, true, 504, "upstream_timeout"),
  /** A stream that ended, broke or sent a non-deterministic error before its first data event. */
  STREAM_ERROR("stream_error", Replay.NOT_DONE, true, 502, "upstream_stream_failed"),
  /** The attempt was left because its upstream's breaker opened while it waited. */
  BREAKER_OPENED("breaker_opened", Replay.NOT_DONE, false, 503, "upstream_unavailable"),
  /** An answer cut or stalled after its headers: the upstream did (some of) the work. */
  BODY_INTERRUPTED("body_interrupted", Replay.MAYBE_DONE, true, 502, "upstream_body_interrupted"),
  /** {@code responseTimeout} passed. */
  DEADLINE("response_timeout", Replay.MAYBE_DONE, true, 504, "upstream_timeout");

  private final String label;
  private final Replay reached;
  private final boolean countsAgainstBreaker;
  private final int finalStatus;
  private final String code;

  FailureKind(
      String label, Replay reached, boolean countsAgainstBreaker, int finalStatus, String code) {
    this.label = label;
    this.reached = reached;
    this.countsAgainstBreaker = countsAgainstBreaker;
    this.finalStatus = finalStatus;
    this.code = code;
  }

  public String label() {
    return label;
  }

  /** How far the upstream may have got with the request. */
  public Replay reached() {
    return reached;
  }

  public boolean countsAgainstBreaker() {
    return countsAgainstBreaker;
  }

  /** Status of the sidecar's error when this failure ends the request. */
  public int finalStatus() {
    return finalStatus;
  }

  /** {@code error.code} of the sidecar's error when this failure ends the request. */
  public String code() {
    return code;
  }
}
