package ai.holysheep.k8s.webhook.admission;

import java.util.Map;

/**
 * The answers to a body that is not read to its end, one row per cause: status, metric reason, the
 * message, and extra headers. The connection is closed after each (the unread rest of the body
 * cannot be told from a next request).
 */
enum BodyRefusal {
  TOO_LARGE(BoundedBody.TOO_LARGE, "too-large", Map.of()),
  TIMED_OUT(BoundedBody.TIMED_OUT, "timeout", Map.of()),
  BUSY(BoundedBody.BUSY, "busy", Map.of("retry-after", "1"));

  private final int status;
  private final String reason;
  private final Map<String, String> headers;

  BodyRefusal(int status, String reason, Map<String, String> headers) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }

  /** The row for {@code status}, or null when it is not a body refusal. */
  static BodyRefusal of(int status) {
    for (BodyRefusal refusal : values()) {
      if (refusal.status == status) {
        return refusal;
      }
    }
    return null;
  }

  String reason() {
    return reason;
  }

  Map<String, String> headers() {
    return headers;
  }

  String message(AdmissionServerOptions options, BodyBudget budget) {
    return switch (this) {
      case TOO_LARGE ->
          "body: larger than "
              + options.maxBodyBytes()
              + " bytes; an AdmissionReview for one Pod is far smaller";
      case TIMED_OUT ->
          "body: not received whole within "
              + options.bodyReadTimeout().toMillis()
              + " ms of the request head";
      case BUSY ->
          "server busy: request bodies being received already hold "
              + budget.reserved()
              + " of "
              + budget.capacity()
              + " bytes; retry";
    };
  }
}
