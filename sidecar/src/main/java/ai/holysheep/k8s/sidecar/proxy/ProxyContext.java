package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.sidecar.cache.StaleCache;
import ai.holysheep.k8s.sidecar.metrics.SidecarMetrics;
import ai.holysheep.k8s.sidecar.upstream.Upstreams;
import io.vertx.core.Vertx;
import java.time.Clock;

/** What every request of one sidecar shares. */
public record ProxyContext(
    Vertx vertx,
    HolySheepConfig config,
    Upstreams upstreams,
    SidecarMetrics metrics,
    StaleCache cache,
    BufferBudget budget,
    long maxReplayBodyBytes,
    long maxBufferedAnswerBytes,
    Clock clock) {}
