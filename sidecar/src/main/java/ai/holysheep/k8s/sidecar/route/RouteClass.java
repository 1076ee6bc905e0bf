package ai.holysheep.k8s.sidecar.route;

/**
 * The columns of the route policy that decide where a request may go and when it may be sent again.
 * One row per kind of route; {@link RoutePolicy} maps each OpenAI route to a row.
 *
 * <p>{@code replayedUpTo} is the most a failure may have let the upstream do for the request still
 * to be sent again: {@link Replay#NOT_SENT} (nothing reached the upstream), {@link Replay#NOT_DONE}
 * (the upstream answered that it did not do the work: an error status or a bad answer before any of
 * it reached the app), {@link Replay#MAYBE_DONE} (it may have done it).
 */
public enum RouteClass {
  /**
   * Generation without server-side state: any upstream, replayed only when the work was not done.
   */
  STATELESS("stateless", true, Replay.NOT_DONE, true),
  /** Creates or changes an object that lives in one provider account: pinned, never replayed. */
  STATEFUL("stateful", false, Replay.NOT_SENT, false),
  /** Reads an object that lives in one account: pinned to it, but idempotent. */
  STATEFUL_READ("stateful_read", false, Replay.MAYBE_DONE, false),
  /** Reads that any upstream answers alike (the model list, unknown GETs). */
  READ_ONLY("read_only", true, Replay.MAYBE_DONE, false);

  /** How far a failed attempt may have got for the request to be sent again. */
  public enum Replay {
    NOT_SENT,
    NOT_DONE,
    MAYBE_DONE
  }

  private final String label;
  private final boolean mayFailOver;
  private final Replay replayedUpTo;
  private final boolean mayHedge;

  RouteClass(String label, boolean mayFailOver, Replay replayedUpTo, boolean mayHedge) {
    this.label = label;
    this.mayFailOver = mayFailOver;
    this.replayedUpTo = replayedUpTo;
    this.mayHedge = mayHedge;
  }

  public String label() {
    return label;
  }

  /** Whether another upstream than the pinned one (the primary) may serve it. */
  public boolean mayFailOver() {
    return mayFailOver;
  }

  /** Whether a failure that got this far still allows sending the request again. */
  public boolean replays(Replay reached) {
    return reached.compareTo(replayedUpTo) <= 0;
  }

  /** Whether {@code hedging} may race a second upstream (only when configured). */
  public boolean mayHedge() {
    return mayHedge;
  }
}
