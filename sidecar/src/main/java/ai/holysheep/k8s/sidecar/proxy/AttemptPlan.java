package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonBytes;
import ai.holysheep.k8s.sidecar.upstream.Selection;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import ai.holysheep.k8s.sidecar.upstream.UpstreamSelector;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which upstream one request tries next and when: the candidates its route allows, the ones it
 * already tried (and how often), panic mode used once, its model (rate limits may be per model),
 * and the pacing of retries of one upstream (its retry budget and a backoff).
 */
final class AttemptPlan {
  private static final byte[] MODEL = JsonBytes.quoted("model");

  private final List<Upstream> candidates;
  private final Buffer body;
  private final Clock clock;
  private final Map<Upstream, Integer> tries = new HashMap<>(4);
  private boolean panicUsed;
  private String model;
  private boolean modelRead;

  AttemptPlan(List<Upstream> candidates, Buffer body, Clock clock) {
    this.candidates = new ArrayList<>(candidates);
    this.body = body;
    this.clock = clock;
    skipUpstreamsNotServing();
  }

  /**
   * An upstream that lists its models (a fallback with {@code models}) is skipped for any other
   * model. The body is scanned for its model only when some candidate lists models.
   */
  private void skipUpstreamsNotServing() {
    for (Upstream upstream : candidates) {
      if (!upstream.spec().models().isEmpty()) {
        String requested = model();
        candidates.removeIf(u -> !u.spec().serves(requested));
        return;
      }
    }
  }

  boolean hasAlternatives() {
    return candidates.size() > 1;
  }

  /**
   * The upstream answered {@code x-should-retry: false}: it already retried what it could (this
   * project's gateway does so after its own failover), so this request never goes to it again.
   * Returns whether another upstream is left to try.
   */
  boolean exclude(Upstream upstream) {
    candidates.remove(upstream);
    return !candidates.isEmpty();
  }

  /**
   * The next upstream, or null.
   *
   * @param hedge only untried upstreams, no panic mode
   */
  Selection select(boolean hedge, long remainingMillis) {
    return UpstreamSelector.select(
        candidates,
        tries.keySet(),
        clock.instant(),
        Duration.ofMillis(Math.max(0, remainingMillis)),
        hedge,
        !hedge && !panicUsed,
        modelIfLimited());
  }

  /**
   * What is sent to {@code upstream}: {@code body} itself, or a copy with the model renamed as the
   * upstream's {@code models} map says (e.g. deepseek-v3.2 → deepseek-chat).
   */
  Buffer bodyFor(Upstream upstream, Buffer body) {
    if (upstream.spec().models().isEmpty() || body == null) {
      return body;
    }
    String requested = model();
    String mapped = upstream.spec().upstreamModel(requested);
    if (requested == null || mapped.equals(requested)) {
      return body;
    }
    Buffer renamed = JsonBytes.withString(body, MODEL, mapped);
    return renamed != null ? renamed : body;
  }

  /** The model, read only when some candidate keeps per-model rate limits (rarely). */
  private String modelIfLimited() {
    for (Upstream upstream : candidates) {
      if (upstream.hasModelLimits()) {
        return model();
      }
    }
    return null;
  }

  /**
   * When the attempt may start, or null when it may not: sending a request again to an upstream it
   * already tried takes a retry from that upstream's budget and waits a backoff; a spent budget or
   * a backoff longer than the time left refuses it (and gives the breaker permission back).
   */
  Duration admit(Selection selection, long remainingMillis) {
    Upstream upstream = selection.upstream();
    Integer before = tries.get(upstream);
    if (before == null) {
      upstream.retryBudget().recordAttempt();
      return selection.delay();
    }
    Duration backoff =
        upstream.retryBudget().options().backoff(before, ThreadLocalRandom.current().nextDouble());
    if (backoff.toMillis() >= remainingMillis || !upstream.retryBudget().tryRetry()) {
      if (selection.permitted()) {
        upstream.breaker().release();
      }
      return null;
    }
    return backoff.compareTo(selection.delay()) > 0 ? backoff : selection.delay();
  }

  void started(Selection selection) {
    if (selection.panic()) {
      panicUsed = true;
    }
    tries.merge(selection.upstream(), 1, Integer::sum);
  }

  /** The request's model (byte scan of the body, once), or null. */
  String model() {
    if (!modelRead) {
      modelRead = true;
      model = body == null ? null : JsonBytes.string(body, MODEL);
    }
    return model;
  }
}
