package ai.holysheep.k8s.sidecar.gateway;

/**
 * How a call to the Kubernetes API server failed: the table of metric labels and of the sentence
 * that a caller's 503 (and the log) carries, so that an operator can tell a slow API server from a
 * missing RBAC rule.
 */
enum ApiFailure {
  OVERLOADED("overloaded", "too many Kubernetes API calls in flight (%s); try again"),
  TIMEOUT("timeout", "the Kubernetes API server did not answer within %s"),
  CONNECT("connect_error", "cannot connect to the Kubernetes API server at %s (%s)"),
  TLS("tls_error", "cannot verify the Kubernetes API server at %s over TLS (%s)"),
  NO_CREDENTIALS(
      "no_credentials", "the gateway's own ServiceAccount token is missing (expected in %s)"),
  UNAUTHORIZED(
      "unauthorized",
      "the Kubernetes API server rejected the gateway's own ServiceAccount token (401)"),
  FORBIDDEN(
      "forbidden",
      "the gateway's ServiceAccount may not %s (403 from the API server); the chart's RBAC grants"
          + " it"),
  NOT_FOUND("not_found", "%s was not found (404)"),
  SERVER_ERROR("server_error", "the Kubernetes API server answered %s"),
  MALFORMED("malformed", "the Kubernetes API server's answer to %s was not the expected JSON");

  final String label;
  private final String template;

  ApiFailure(String label, String template) {
    this.label = label;
    this.template = template;
  }

  KubeApiException exception(Object... details) {
    return new KubeApiException(this, String.format(template, details));
  }

  /** A failed API call; the message says which failure, never the request body. */
  static final class KubeApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ApiFailure kind;

    KubeApiException(ApiFailure kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }

    ApiFailure kind() {
      return kind;
    }
  }
}
