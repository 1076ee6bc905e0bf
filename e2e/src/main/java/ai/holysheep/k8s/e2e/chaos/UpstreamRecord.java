package ai.holysheep.k8s.e2e.chaos;

/**
 * One request a simulator received, as its {@code /_sim/requests} log shows it.
 *
 * @param incarnation which process of that upstream (a restarted primary counts up from 1)
 * @param receivedAt epoch milliseconds when its body had arrived (the simulator claims its fault at
 *     that moment)
 */
public record UpstreamRecord(
    String upstream,
    int incarnation,
    String requestId,
    String method,
    String path,
    long receivedAt) {

  /** The sidecar's active health checks, not app traffic. */
  boolean healthCheck() {
    return "GET".equals(method) && path.endsWith("/models");
  }
}
