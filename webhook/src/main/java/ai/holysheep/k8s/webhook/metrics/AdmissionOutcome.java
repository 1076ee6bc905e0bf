package ai.holysheep.k8s.webhook.metrics;

/**
 * Bounded label values for {@code holysheep_webhook_admissions_total}: free text (messages, pod
 * names) never becomes a label.
 */
public record AdmissionOutcome(String result, String reason) {
  public static final String INJECTED = "injected";
  public static final String SKIPPED = "skipped";
  public static final String DENIED = "denied";
  public static final String ERROR = "error";

  public static AdmissionOutcome injected(boolean nativeSidecar) {
    return new AdmissionOutcome(INJECTED, nativeSidecar ? "native" : "legacy");
  }

  /** Maps the injector's skip message onto a small fixed set of reasons. */
  public static AdmissionOutcome skipped(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    String reason;
    if (m.contains("opted out")) {
      reason = "opted-out";
    } else if (m.contains("not opted in")) {
      reason = "not-opted-in";
    } else if (m.contains("mirror")) {
      reason = "mirror-pod";
    } else if (m.contains("hostnetwork")) {
      reason = "host-network";
    } else if (m.contains("windows")) {
      reason = "windows";
    } else {
      reason = "other";
    }
    return new AdmissionOutcome(SKIPPED, reason);
  }

  public static AdmissionOutcome denied() {
    return new AdmissionOutcome(DENIED, "invalid-pod");
  }

  /** {@code bad-request}, {@code too-large} or {@code internal}. */
  public static AdmissionOutcome error(String reason) {
    return new AdmissionOutcome(ERROR, reason);
  }
}
