package ai.holysheep.k8s.e2e.cache;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Two simulated upstreams (primary and one fallback) and the sidecar config that points at them:
 * breakers and health checks off so each request tries both, short timeouts.
 */
final class CacheUpstreams implements AutoCloseable {
  static final String PRIMARY_KEY = "sk-primary-e2e";
  static final String SECONDARY_KEY = "sk-secondary-e2e";
  static final long AWAIT_SECONDS = 10;

  final Simulator primary;
  final Simulator secondary;

  private CacheUpstreams(Simulator primary, Simulator secondary) {
    this.primary = primary;
    this.secondary = secondary;
  }

  static CacheUpstreams start(Vertx vertx) throws Exception {
    return new CacheUpstreams(
        await(Simulator.start(vertx, SimulatorOptions.named("primary"))),
        await(Simulator.start(vertx, SimulatorOptions.named("secondary"))));
  }

  /** Every upstream answers 503 to every request. */
  void failAll() {
    primary.setFault(Fault.ofStatus(503));
    secondary.setFault(Fault.ofStatus(503));
  }

  void healAll() {
    primary.clearFault();
    secondary.clearFault();
  }

  int requestCount() {
    return primary.requestCount() + secondary.requestCount();
  }

  /** The {@code HolySheepConfig.spec} with these upstreams and the given cache section. */
  JsonObject config(JsonObject cache) {
    return new JsonObject()
        .put("baseUrl", primary.baseUrl())
        .put("connectTimeout", "1s")
        .put("timeout", "3s")
        .put("maxRetries", 1)
        .put("circuitBreaker", new JsonObject().put("enabled", false))
        .put("healthCheck", new JsonObject().put("enabled", false))
        .put(
            "fallbacks",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("name", "secondary")
                        .put("baseUrl", secondary.baseUrl())
                        .put(
                            "apiKeySecretRef",
                            new JsonObject().put("name", "secondary-key").put("key", "api-key"))))
        .put("cache", cache);
  }

  @Override
  public void close() throws Exception {
    await(primary.close());
    await(secondary.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }
}
