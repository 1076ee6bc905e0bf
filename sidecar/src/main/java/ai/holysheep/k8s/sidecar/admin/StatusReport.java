package ai.holysheep.k8s.sidecar.admin;

import ai.holysheep.k8s.sidecar.upstream.Upstream;
import ai.holysheep.k8s.sidecar.upstream.Upstreams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;

/** The /status document: per upstream breaker state, key presence, latency and last check. */
final class StatusReport {
  private StatusReport() {}

  static JsonObject build(String configHash, boolean ready, Upstreams upstreams, Clock clock) {
    Instant now = clock.instant();
    JsonArray list = new JsonArray();
    for (Upstream upstream : upstreams.all()) {
      JsonObject entry =
          new JsonObject()
              .put("name", upstream.name())
              .put("baseUrl", upstream.target().display())
              .put("breaker", upstream.breaker().state().label())
              .put("healthy", upstream.healthy())
              .put("keyPresent", upstream.key() != null)
              .put("keySource", upstream.keySource().label())
              .put("keySecret", keySecret(upstream.spec()))
              .put("keyFile", upstream.spec().apiKeyFile())
              .put("keyEnv", upstream.spec().keyEnvVar())
              .put("authFailing", upstream.authFailing());
      if (upstream.rateLimitedUntil().isAfter(now)) {
        entry.put("rateLimitedUntil", upstream.rateLimitedUntil().toString());
      }
      if (upstream.breaker().openedAt() != null) {
        entry.put("openedAt", upstream.breaker().openedAt().toString());
      }
      if (upstream.lastLatencyMillis() >= 0) {
        entry.put(
            "latencyMs",
            new JsonObject()
                .put("last", upstream.lastLatencyMillis())
                .put("average", Math.round(upstream.latencyEwmaMillis())));
      }
      if (!upstream.lastActivity().equals(Instant.MIN)) {
        entry.put("lastActivity", upstream.lastActivity().toString());
      }
      Upstream.HealthCheckResult check = upstream.lastCheck();
      if (check != null) {
        JsonObject lastCheck =
            new JsonObject()
                .put("at", check.at().toString())
                .put("passed", check.passed())
                .put("status", check.status());
        if (check.error() != null) {
          lastCheck.put("error", check.error());
        }
        entry.put("lastCheck", lastCheck);
      }
      list.add(entry);
    }
    return new JsonObject()
        .put("ready", ready)
        .put("config", new JsonObject().put("hash", configHash))
        .put("upstreams", list);
  }

  /** {@code <secret>/<key>}, or null for an upstream keyed by {@code apiKeyFile}. */
  private static String keySecret(ai.holysheep.k8s.config.UpstreamSpec spec) {
    var ref = spec.apiKeySecretRef();
    return ref == null ? null : ref.name() + "/" + ref.key();
  }
}
