package ai.holysheep.k8s.e2e.gateway;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import ai.holysheep.k8s.sidecar.ListenAddress;
import ai.holysheep.k8s.sidecar.Sidecar;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import ai.holysheep.k8s.sidecar.gateway.AccessOptions;
import ai.holysheep.k8s.sidecar.gateway.GatewayFront;
import ai.holysheep.k8s.sidecar.gateway.GatewayOptions;
import ai.holysheep.k8s.sidecar.gateway.GatewayTlsOptions;
import ai.holysheep.k8s.sidecar.gateway.KubeApiOptions;
import ai.holysheep.k8s.sidecar.gateway.ReviewOptions;
import ai.holysheep.k8s.sidecar.testing.FakeKubeApiServer;
import ai.holysheep.k8s.sidecar.testing.RoundRobinFront;
import ai.holysheep.k8s.sidecar.testing.ServiceAccountTokens;
import ai.holysheep.k8s.sidecar.testing.TestPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The keyless chain as a cluster runs it: an app's sidecar (primary = the gateway Service, key = a
 * projected-style token file, trusting the gateway's CA) → one round-robin address → three gateway
 * replicas (TokenReview against the fake API server over TLS) → two simulators.
 */
final class GatewayChain implements AutoCloseable {
  static final long AWAIT_SECONDS = 20;
  static final String GATEWAY_KEY = "sk-gateway-held-key-5d1e";
  static final String FALLBACK_KEY = "sk-gateway-fallback-key-77ab";
  static final String APP_NAMESPACE = "team-a";

  final Vertx vertx = Vertx.vertx();
  final TestPki pki = new TestPki();
  final Simulator primary;
  final Simulator secondary;
  final FakeKubeApiServer api;
  final List<Sidecar> gateways = new ArrayList<>();
  final RoundRobinFront front;
  final Sidecar sidecar;
  final String token;
  final Path tokenFile;

  GatewayChain(Path dir) throws Exception {
    primary = await(Simulator.start(vertx, SimulatorOptions.named("primary-sim")));
    secondary = await(Simulator.start(vertx, SimulatorOptions.named("secondary-sim")));
    api = FakeKubeApiServer.start(vertx, pki, dir.resolve("api"), "gateway-sa-token");
    api.namespace(APP_NAMESPACE, Map.of("holysheep.ai/injection", "enabled"));
    Path sa = Files.createDirectories(dir.resolve("gateway-sa"));
    Files.writeString(sa.resolve("token"), "gateway-sa-token");
    Path kubeCa = pki.writeCa(sa);
    TestPki.ServingFiles serving = pki.issue(dir.resolve("gateway-tls"), "holysheep-gateway");
    JsonObject gatewayConfig =
        new JsonObject()
            .put("baseUrl", primary.baseUrl())
            .put("timeout", "2s")
            .put("streamIdleTimeout", "2s")
            .put("healthCheck", new JsonObject().put("enabled", false))
            // Tests share the chain: a breaker opened by one test must not route the next.
            .put("circuitBreaker", new JsonObject().put("enabled", false))
            .put(
                "fallbacks",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "secondary")
                            .put("baseUrl", secondary.baseUrl())
                            .put(
                                "apiKeySecretRef",
                                new JsonObject().put("name", "fallback").put("key", "api-key"))));
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GatewayOptions options =
          GatewayOptions.of(
                  KubeApiOptions.of(api.uri()).withCredentials(sa.resolve("token"), kubeCa))
              .withTls(
                  new GatewayTlsOptions(
                      serving.certFile(),
                      serving.keyFile(),
                      GatewayTlsOptions.DEFAULT_RELOAD_INTERVAL))
              .withAccess(AccessOptions.of(Set.of(), AccessOptions.DEFAULT_LABEL));
      Sidecar gateway =
          await(
              Sidecar.start(
                  vertx,
                  SidecarOptions.of(ConfigParser.parse(gatewayConfig.encode()))
                      .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
                      .withAdminListen(new ListenAddress("127.0.0.1", 0))
                      .withEnv(
                          Map.of(
                              "HOLYSHEEP_API_KEY", GATEWAY_KEY,
                              "HOLYSHEEP_API_KEY_1", FALLBACK_KEY,
                              "HOLYSHEEP_POD_NAMESPACE", "holysheep-system"))
                      .withSecretsDir(dir.resolve("no-secrets"))
                      .withFront(GatewayFront.create(vertx, options))));
      gateways.add(gateway);
      ports.add(gateway.proxyPort());
    }
    front = RoundRobinFront.start(vertx, ports);
    token =
        ServiceAccountTokens.jwt(
            APP_NAMESPACE,
            "default",
            List.of(ReviewOptions.DEFAULT_AUDIENCE),
            Instant.now().plus(Duration.ofHours(1)));
    api.serviceAccountToken(
        token, APP_NAMESPACE, "default", List.of(ReviewOptions.DEFAULT_AUDIENCE));
    Path projected = Files.createDirectories(dir.resolve("projected"));
    tokenFile = Files.writeString(projected.resolve("token"), token);
    JsonObject sidecarConfig =
        new JsonObject()
            .put("baseUrl", "https://localhost:" + front.port() + "/v1")
            .put("apiKeyFile", tokenFile.toString())
            // As the webhook injects it: the gateway's CA inline, no file, no Secret.
            .put("caPem", pki.caPem())
            .put("timeout", "5s")
            .put("streamIdleTimeout", "5s")
            .put("circuitBreaker", new JsonObject().put("enabled", false))
            .put("healthCheck", new JsonObject().put("enabled", false));
    sidecar =
        await(
            Sidecar.start(
                vertx,
                SidecarOptions.of(ConfigParser.parse(sidecarConfig.encode()))
                    .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
                    .withAdminListen(new ListenAddress("127.0.0.1", 0))
                    .withEnv(Map.of("HOLYSHEEP_POD_NAMESPACE", APP_NAMESPACE))
                    .withSecretsDir(dir.resolve("app-has-no-secrets"))));
  }

  /** What the kubelet does when it rotates the projected token: the file changes in place. */
  void useToken(String value) throws java.io.IOException {
    Files.writeString(tokenFile, value);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(sidecar.close());
    for (Sidecar gateway : gateways) {
      await(gateway.close());
    }
    front.close();
    api.close();
    await(primary.close());
    await(secondary.close());
    await(vertx.close());
  }
}
