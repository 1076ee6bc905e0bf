package ai.holysheep.k8s.sidecar.gateway;

/**
 * Why the gateway turns a caller away: the one table that the answer (status, OpenAI-style error
 * type and code, RFC 6750 {@code WWW-Authenticate} error, {@code x-should-retry}) and the metric
 * label are read from.
 */
enum Rejection {
  /** No {@code Authorization: Bearer} header, or an empty one. */
  NO_TOKEN(401, "authentication_error", "missing_token", "invalid_request", false),
  /** Not a ServiceAccount token, or one the API server does not authenticate. */
  INVALID_TOKEN(401, "authentication_error", "invalid_token", "invalid_token", false),
  /** Its {@code exp} has passed. */
  EXPIRED_TOKEN(401, "authentication_error", "expired_token", "invalid_token", false),
  /** A valid token for someone else: its audience is not the gateway's. */
  WRONG_AUDIENCE(401, "authentication_error", "wrong_audience", "invalid_token", false),
  /** A user's token, not a ServiceAccount's: access is granted by namespace. */
  NOT_SERVICE_ACCOUNT(403, "permission_error", "not_service_account", "insufficient_scope", false),
  /** A ServiceAccount of a namespace that is neither labelled nor listed. */
  NAMESPACE_NOT_ALLOWED(
      403, "permission_error", "namespace_not_allowed", "insufficient_scope", false),
  /**
   * The API server could not answer (the message says how it failed); another replica may have the
   * answer cached, so a retry is worth it.
   */
  AUTHENTICATION_UNAVAILABLE(503, "api_error", "authentication_unavailable", null, true);

  final int status;
  final String type;
  final String code;
  final String bearerError;
  final boolean retryable;

  Rejection(int status, String type, String code, String bearerError, boolean retryable) {
    this.status = status;
    this.type = type;
    this.code = code;
    this.bearerError = bearerError;
    this.retryable = retryable;
  }

  /** The value of the {@code result} label of {@code holysheep_gateway_requests_total}. */
  String metricLabel() {
    return code;
  }
}
