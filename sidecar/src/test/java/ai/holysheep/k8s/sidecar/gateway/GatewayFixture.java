package ai.holysheep.k8s.sidecar.gateway;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.sidecar.ListenAddress;
import ai.holysheep.k8s.sidecar.Sidecar;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import ai.holysheep.k8s.sidecar.testing.FakeKubeApiServer;
import ai.holysheep.k8s.sidecar.testing.GatewayCalls;
import ai.holysheep.k8s.sidecar.testing.GatewayCalls.Answer;
import ai.holysheep.k8s.sidecar.testing.RoundRobinFront;
import ai.holysheep.k8s.sidecar.testing.TestPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Three gateway replicas (the real proxy behind the real TLS front) behind one round-robin address,
 * a fake API server, and an upstream that records what reached it.
 */
final class GatewayFixture implements AutoCloseable {
  static final String UPSTREAM_KEY = "sk-upstream-key-held-by-the-gateway";
  static final String GATEWAY_SA_TOKEN = "gateway-own-serviceaccount-token";
  static final Duration WAIT = Duration.ofSeconds(30);

  final Vertx vertx;
  final TestPki pki = new TestPki();
  final FakeKubeApiServer api;
  final HttpServer upstream;
  final List<String> upstreamAuthorizations = new CopyOnWriteArrayList<>();
  final List<String> upstreamBodies = new CopyOnWriteArrayList<>();

  /** While true the upstream answers every completion with a 503. */
  final java.util.concurrent.atomic.AtomicBoolean upstreamDown =
      new java.util.concurrent.atomic.AtomicBoolean();

  final List<Sidecar> replicas = new ArrayList<>();
  final List<GatewayFront> fronts = new ArrayList<>();
  final RoundRobinFront front;
  final HttpClient client;
  final Path dir;

  GatewayFixture(Path dir, int replicaCount, AccessOptions access, Duration apiTimeout)
      throws Exception {
    this.dir = dir;
    this.vertx = Vertx.vertx();
    this.api = FakeKubeApiServer.start(vertx, pki, dir.resolve("api"), GATEWAY_SA_TOKEN);
    this.upstream = startUpstream();
    Path saDir = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(saDir.resolve("token"), GATEWAY_SA_TOKEN);
    Path ca = pki.writeCa(saDir);
    TestPki.ServingFiles serving = pki.issue(dir.resolve("gateway-tls"), "holysheep-gateway");
    HolySheepConfig config =
        ConfigParser.parse(
            "{baseUrl: \"http://127.0.0.1:"
                + upstream.actualPort()
                + "/v1\", timeout: 5s, cache: {mode: memory}}");
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < replicaCount; i++) {
      GatewayOptions options =
          GatewayOptions.of(
                  KubeApiOptions.of(api.uri())
                      .withCredentials(saDir.resolve("token"), ca)
                      .withBounds(apiTimeout, KubeApiOptions.DEFAULT_MAX_IN_FLIGHT))
              .withTls(
                  new GatewayTlsOptions(
                      serving.certFile(),
                      serving.keyFile(),
                      GatewayTlsOptions.DEFAULT_RELOAD_INTERVAL))
              .withAccess(access);
      GatewayFront gatewayFront = GatewayFront.create(vertx, options);
      Sidecar replica =
          await(
              Sidecar.start(
                  vertx,
                  SidecarOptions.of(config)
                      .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
                      .withAdminListen(new ListenAddress("127.0.0.1", 0))
                      .withEnv(Map.of("HOLYSHEEP_API_KEY", UPSTREAM_KEY))
                      .withSecretsDir(dir.resolve("no-secrets"))
                      .withFront(gatewayFront)));
      replicas.add(replica);
      fronts.add(gatewayFront);
      ports.add(replica.proxyPort());
    }
    this.front = RoundRobinFront.start(vertx, ports);
    // No keep-alive: every request is a new connection, so the front spreads them like a Service.
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setKeepAlive(false)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caPem()))));
  }

  private HttpServer startUpstream() throws Exception {
    return await(
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              if (request.path().equals("/v1/models")) {
                                request
                                    .response()
                                    .putHeader("content-type", "application/json")
                                    .end(
                                        "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\"}]}");
                                return;
                              }
                              if (upstreamDown.get()) {
                                request.response().setStatusCode(503).end("{\"error\":{}}");
                                return;
                              }
                              upstreamAuthorizations.add(request.getHeader("Authorization"));
                              upstreamBodies.add(body.toString());
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .end(
                                      new JsonObject()
                                          .put("id", "chatcmpl-1")
                                          .put("object", "chat.completion")
                                          .put("model", "gpt-4o-mini")
                                          .put("bodyBytes", body.length())
                                          .encode());
                            }))
            .listen(0, "127.0.0.1"));
  }

  /** POST /v1/chat/completions through the one address, with {@code authorization} if not null. */
  Answer call(String authorization, String body) throws Exception {
    return await(GatewayCalls.chat(client, front.port(), authorization, body));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A counter of one replica's registry, 0 when absent. */
  double counter(int replica, String name, String... tags) {
    var counter = replicas.get(replica).registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() throws Exception {
    for (Sidecar replica : replicas) {
      await(replica.close());
    }
    front.close();
    api.close();
    await(vertx.close());
  }
}
