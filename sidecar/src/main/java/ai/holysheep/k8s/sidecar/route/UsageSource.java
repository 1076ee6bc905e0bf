package ai.holysheep.k8s.sidecar.route;

/** Where a route's answers carry token usage (the tokens metric reads it from there). */
public enum UsageSource {
  /** No usage in the answer (moderations, audio/speech, stateful routes). */
  NONE(null),
  /**
   * A top-level {@code usage} object: JSON answers, and the final SSE chunk of chat/completions,
   * completions and image streams.
   */
  TOP_LEVEL(null),
  /** The Responses API: top-level {@code usage} in JSON, {@code response.usage} in SSE events. */
  RESPONSE("response");

  private final String streamParent;

  UsageSource(String streamParent) {
    this.streamParent = streamParent;
  }

  /** The key whose object holds {@code usage} in stream events, or null for the top level. */
  public String streamParent() {
    return streamParent;
  }
}
