package ai.holysheep.k8s.e2e.soak;

import io.vertx.core.json.JsonObject;

/**
 * One look at the sidecar every sample interval; -1 where a probe failed.
 *
 * @param atSeconds since the load started
 * @param eventLoopDelayMs median round trip of {@code GET /health} on the admin port: the sidecar
 *     runs one event loop (as under the default 500m CPU limit), so this is the time a ready event
 *     waits for that loop, plus one loopback round trip
 * @param window what the load saw since the previous sample
 */
public record Sample(
    double atSeconds,
    double rssMib,
    double heapAfterGcMib,
    int openFds,
    int primaryConnections,
    int fallbackConnections,
    int appConnections,
    double eventLoopDelayMs,
    LoadWindow.Counts window) {

  JsonObject toJson() {
    return new JsonObject()
        .put("atS", atSeconds)
        .put("rssMib", rssMib)
        .put("heapAfterGcMib", heapAfterGcMib)
        .put("openFds", openFds)
        .put("primaryConnections", primaryConnections)
        .put("fallbackConnections", fallbackConnections)
        .put("appConnections", appConnections)
        .put("eventLoopDelayMs", eventLoopDelayMs)
        .put("load", window.toJson());
  }
}
