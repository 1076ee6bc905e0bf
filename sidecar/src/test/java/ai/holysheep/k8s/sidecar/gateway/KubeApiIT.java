package ai.holysheep.k8s.sidecar.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.testing.FakeKubeApiServer;
import ai.holysheep.k8s.sidecar.testing.FakeKubeApiServer.Fault;
import ai.holysheep.k8s.sidecar.testing.TestPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's API client against the fake API server over real TLS on loopback. */
class KubeApiIT {
  private static final String OWN_TOKEN = "gateway-token-v1";

  /** For calls that must succeed: long, so that a busy machine never turns them into failures. */
  private static final Duration GENEROUS = Duration.ofSeconds(30);

  /**
   * Longer than any call's own bound, so that a slow call ends with the failure the client
   * classifies (which says what was slow) rather than with the test giving up first.
   */
  private static final long WAIT_SECONDS = GENEROUS.toSeconds() + 15;

  @TempDir Path dir;
  private Vertx vertx;
  private TestPki pki;
  private FakeKubeApiServer server;
  private Path tokenFile;
  private Path caFile;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    pki = new TestPki();
    server = FakeKubeApiServer.start(vertx, pki, dir.resolve("api"), OWN_TOKEN);
    server.namespace("team-a", Map.of("holysheep.ai/injection", "enabled"));
    tokenFile =
        Files.writeString(Files.createDirectories(dir.resolve("sa")).resolve("token"), OWN_TOKEN);
    caFile = pki.writeCa(dir.resolve("sa"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private KubeApi api(Duration timeout, int maxInFlight) {
    return KubeApi.create(
        vertx,
        KubeApiOptions.of(server.uri())
            .withCredentials(tokenFile, caFile)
            .withBounds(timeout, maxInFlight));
  }

  private static JsonObject get(Future<JsonObject> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static ApiFailure.KubeApiException failure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiFailure.KubeApiException failure) {
        return failure;
      }
      throw new AssertionError("not a KubeApiException", e.getCause());
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void readsANamespaceWithTheServiceAccountTokenOverVerifiedTls() throws Exception {
    JsonObject namespace = get(api(GENEROUS, 4).get("/api/v1/namespaces/team-a", "get namespaces"));
    assertEquals(
        "enabled",
        namespace
            .getJsonObject("metadata")
            .getJsonObject("labels")
            .getString("holysheep.ai/injection"));
  }

  @Test
  void aRotatedTokenFileIsUsedByTheNextCall() throws Exception {
    KubeApi api = api(GENEROUS, 4);
    get(api.get("/api/v1/namespaces/team-a", "get namespaces"));
    Files.writeString(tokenFile, "gateway-token-v2-rotated-by-the-kubelet");
    server.acceptCallerToken("gateway-token-v2-rotated-by-the-kubelet");
    get(api.get("/api/v1/namespaces/team-a", "get namespaces"));
  }

  /**
   * A caller off the event loop (the test thread here; a startup check or a JDK timer elsewhere)
   * that loses the CPU after chaining the send, until the answer has been read, still gets the
   * answer. Reading the body in a step the caller chains itself lost it: the answer's end went by
   * before that step asked for the body, and the call hung until its bound (seen under load 15 as
   * aRotatedTokenFileIsUsedByTheNextCall timing out on its second, pooled-connection call).
   */
  @Test
  void aCallerDescheduledBetweenSendingAndReadingStillGetsTheAnswer() throws Exception {
    Vertx oneLoop = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      KubeApi api =
          KubeApi.create(
              DescheduledCaller.around(oneLoop),
              KubeApiOptions.of(server.uri())
                  .withCredentials(tokenFile, caFile)
                  .withBounds(GENEROUS, 4));
      for (int call = 0; call < 2; call++) {
        JsonObject namespace = get(api.get("/api/v1/namespaces/team-a", "get namespaces"));
        assertEquals("team-a", namespace.getJsonObject("metadata").getString("name"));
      }
      assertEquals(2, server.namespaceGets());
    } finally {
      oneLoop.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theGatewaysOwnRejectedTokenIsReportedAsSuch() throws Exception {
    server.acceptCallerToken("someone-else");
    ApiFailure.KubeApiException e = failure(api(GENEROUS, 4).get("/api/v1/namespaces/team-a", "x"));
    assertEquals(ApiFailure.UNAUTHORIZED, e.kind());
    assertTrue(e.getMessage().contains("rejected the gateway's own ServiceAccount token (401)"));
  }

  @Test
  void aMissingTokenFileFailsWithoutACall() throws Exception {
    Files.delete(tokenFile);
    ApiFailure.KubeApiException e = failure(api(GENEROUS, 4).get("/api/v1/namespaces/team-a", "x"));
    assertEquals(ApiFailure.NO_CREDENTIALS, e.kind());
    assertTrue(e.getMessage().contains(tokenFile.toString()), e.getMessage());
    assertEquals(0, server.namespaceGets());
  }

  @Test
  void aStalledCallEndsAtTheTimeoutAndSaysSo() throws Exception {
    server.fault(Fault.STALL);
    ApiFailure.KubeApiException e =
        failure(api(Duration.ofMillis(300), 4).get("/api/v1/namespaces/team-a", "x"));
    assertEquals(ApiFailure.TIMEOUT, e.kind());
    assertEquals("the Kubernetes API server did not answer within 300ms", e.getMessage());
  }

  @Test
  void callsBeyondTheInFlightBoundFailAtOnce() throws Exception {
    server.fault(Fault.STALL);
    KubeApi api = api(Duration.ofMillis(300), 1);
    Future<JsonObject> first = api.get("/api/v1/namespaces/team-a", "x");
    Future<JsonObject> second = api.get("/api/v1/namespaces/team-a", "x");
    assertTrue(second.isComplete(), "refused without waiting");
    assertEquals(ApiFailure.OVERLOADED, failure(second).kind());
    assertEquals(ApiFailure.TIMEOUT, failure(first).kind());
    assertEquals(
        ApiFailure.TIMEOUT,
        failure(api.get("/api/v1/namespaces/team-a", "x")).kind(),
        "the timed-out call gave its slot back");
  }

  @Test
  void anApiServerThatIsGoneIsAConnectError() throws Exception {
    KubeApi api = api(GENEROUS, 4);
    server.close();
    ApiFailure.KubeApiException e = failure(api.get("/api/v1/namespaces/team-a", "x"));
    assertEquals(ApiFailure.CONNECT, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith("cannot connect to the Kubernetes API server at https://localhost:"),
        e.getMessage());
  }

  @Test
  void anApiServerWithAnUntrustedCertificateIsATlsError() throws Exception {
    caFile = new TestPki().writeCa(dir.resolve("other-ca"));
    ApiFailure.KubeApiException e = failure(api(GENEROUS, 4).get("/api/v1/namespaces/team-a", "x"));
    assertEquals(ApiFailure.TLS, e.kind(), e.getMessage());
    assertEquals(0, server.namespaceGets());
  }

  @Test
  void a404IsNotFoundAndA403NamesTheMissingPermission() throws Exception {
    KubeApi api = api(GENEROUS, 4);
    assertEquals(
        ApiFailure.NOT_FOUND, failure(api.get("/api/v1/namespaces/gone", "get namespaces")).kind());
    server.fault(Fault.STATUS_403);
    ApiFailure.KubeApiException e =
        failure(api.post(TokenReviewer.PATH, new JsonObject(), TokenReviewer.ACTION));
    assertEquals(
        "the gateway's ServiceAccount may not create tokenreviews (403 from the API server); the"
            + " chart's RBAC grants it",
        e.getMessage());
  }
}
