package ai.holysheep.k8s.webhook.admission;

import java.util.Map;

/**
 * The answers to a body that is not read to its end, one row per cause: status, metric reason,
 * extra headers, the message, and whether the connection lingers. Each answer says {@code
 * Connection: close} (the unread rest of the body cannot be told from a next request). A client
 * refused for its size or for a full budget is still sending: the rest is read and dropped before
 * the close ({@link LingeringClose}), or the kernel resets the connection and the client may lose
 * the answer. A client whose body stalled sends nothing more: its connection is closed at once.
 */
enum BodyRefusal {
  TOO_LARGE(BoundedBody.TOO_LARGE, "too-large", Map.of(), true),
  TIMED_OUT(BoundedBody.TIMED_OUT, "timeout", Map.of(), false),
  BUSY(BoundedBody.BUSY, "busy", Map.of("retry-after", "1"), true);

  private final int status;
  private final String reason;
  private final Map<String, String> headers;
  private final boolean lingers;

  BodyRefusal(int status, String reason, Map<String, String> headers, boolean lingers) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.lingers = lingers;
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

  /** Whether the rest of the body is read (and dropped) before the connection is closed. */
  boolean lingers() {
    return lingers;
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
