package ai.holysheep.k8s.webhook.admission;

/**
 * Listener settings of the webhook.
 *
 * @param host bind address
 * @param port TLS port; 0 picks a free one (tests)
 * @param maxBodyBytes larger request bodies get HTTP 413
 */
public record AdmissionServerOptions(String host, int port, long maxBodyBytes) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8443;

  /** 4 MiB: the API server's own request limit is 3 MiB, so a real review always fits. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  public AdmissionServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port: " + port + " is not a port; expected 0-65535");
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " must be positive");
    }
  }

  public static AdmissionServerOptions defaults() {
    return new AdmissionServerOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES);
  }
}
