package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonObject;

/**
 * One request of the load and what came back. Times are epoch milliseconds, comparable with the
 * simulators' {@code receivedAt} (same machine clock).
 *
 * @param upstream the sidecar's {@code x-holysheep-upstream}, or null
 * @param attempts the sidecar's {@code x-holysheep-attempts}, or -1
 */
public record RequestOutcome(
    String id,
    long seq,
    boolean stream,
    long scheduledAt,
    long sentAt,
    long endedAt,
    int status,
    String upstream,
    int attempts,
    Verdict verdict,
    String detail) {

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("stream", stream)
        .put("sentAt", sentAt)
        .put("ms", endedAt - sentAt)
        .put("status", status)
        .put("upstream", upstream)
        .put("attempts", attempts)
        .put("verdict", verdict.name())
        .put("detail", detail);
  }
}
