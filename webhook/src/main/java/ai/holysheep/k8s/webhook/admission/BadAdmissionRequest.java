package ai.holysheep.k8s.webhook.admission;

/** An HTTP request that is not a usable AdmissionReview; answered with {@code status} as JSON. */
public final class BadAdmissionRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  BadAdmissionRequest(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  /** Bounded metric label: {@code bad-request} or {@code too-large}. */
  public String reason() {
    return reason;
  }

  static BadAdmissionRequest badRequest(String message) {
    return new BadAdmissionRequest(400, "bad-request", message);
  }
}
