package ai.holysheep.k8s.sidecar.proxy;

/**
 * Why an attempt did not produce the final answer. {@code countsAgainstBreaker} decides whether the
 * upstream's breaker records a failure; {@code label} is the metric label value.
 */
public enum FailureKind {
  CONNECT("connect_error", true),
  TLS("tls_error", true),
  SERVER_ERROR("server_error", true),
  RATE_LIMITED("rate_limited", false),
  AUTH("auth_error", true),
  TIMEOUT("timeout", true),
  STREAM_ERROR("stream_error", true),
  RESET("reset", true),
  /** The local pool's wait queue is full: our overload, never the upstream's failure. */
  POOL_BUSY("pool_busy", false);

  private final String label;
  private final boolean countsAgainstBreaker;

  FailureKind(String label, boolean countsAgainstBreaker) {
    this.label = label;
    this.countsAgainstBreaker = countsAgainstBreaker;
  }

  public String label() {
    return label;
  }

  public boolean countsAgainstBreaker() {
    return countsAgainstBreaker;
  }
}
