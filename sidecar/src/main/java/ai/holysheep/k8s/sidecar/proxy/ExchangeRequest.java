package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.route.Route;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * What the entry handler learned about an app request before the attempt loop starts.
 *
 * @param body the replayable body, or null when it streams through
 * @param streamingPrefix bytes of a streaming body read before it turned out too large
 * @param budgetBytes pod buffer budget held for the body, released when the exchange ends
 * @param pinned the one upstream allowed (stateful routes, or the one the app named), or null
 * @param appTimeout the app's own deadline for the first answer byte, or null
 * @param tenant the caller's verified namespace when a front (the gateway) authenticated it, else
 *     null
 */
record ExchangeRequest(
    HttpServerRequest request,
    Route route,
    Buffer body,
    Buffer streamingPrefix,
    long budgetBytes,
    boolean stream,
    MultiMap upstreamHeaders,
    Upstream pinned,
    Duration appTimeout,
    String tenant) {}
