package ai.holysheep.k8s.e2e.chaos;

/** What the app saw for one request. */
public enum Verdict {
  /** A JSON chat completion from the upstream the sidecar named. */
  OK(true),
  /** A stream that delivered the whole answer and ended with {@code data: [DONE]}. */
  COMPLETED(true),
  /** A stream that ended with the sidecar's explicit {@code upstream_error} event. */
  ERROR_EVENT(false),
  /** A non-200 answer. */
  FAILED_STATUS(false),
  /** A 200 whose body is not a valid completion (an error object, HTML, a wrong answer). */
  BAD_BODY(false),
  /** A stream that ended cleanly but with neither {@code [DONE]} nor the error event. */
  SILENT_END(false),
  /** A stream with invalid events, mixed answers, events after the end, or a malformed error. */
  CORRUPT_STREAM(false),
  /** The connection to the sidecar failed or was reset. */
  TRANSPORT_ERROR(false),
  /** No answer within the load generator's own bound. */
  TIMEOUT(false),
  /** The generator had too many requests in flight and did not send this one. */
  NOT_SENT(false);

  private final boolean success;

  Verdict(boolean success) {
    this.success = success;
  }

  public boolean success() {
    return success;
  }
}
