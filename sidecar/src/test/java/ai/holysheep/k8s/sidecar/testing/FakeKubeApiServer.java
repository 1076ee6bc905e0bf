package ai.holysheep.k8s.sidecar.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two API calls the gateway makes (TokenReview, GET namespace), over real TLS on loopback, with
 * the API server's audience semantics and switchable misbehaviour. It knows tokens by value (as the
 * real one knows them by signature) and checks the caller's own bearer token.
 */
public final class FakeKubeApiServer implements AutoCloseable {
  /** How the next calls misbehave. */
  public enum Fault {
    NONE,
    /** Accept the request, never answer. */
    STALL,
    STATUS_500,
    /** RBAC missing. */
    STATUS_403,
    /** HTML where JSON was expected (a proxy in front of the API server). */
    MALFORMED
  }

  private record Identity(String username, List<String> audiences) {}

  private final HttpServer server;
  private final boolean tls;
  private final String callerToken;
  private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> namespaces = new ConcurrentHashMap<>();
  private final AtomicInteger tokenReviews = new AtomicInteger();
  private final AtomicInteger namespaceGets = new AtomicInteger();
  private final List<JsonObject> reviewSpecs = new CopyOnWriteArrayList<>();
  private volatile Fault fault = Fault.NONE;
  private volatile String acceptedCallerToken;

  private FakeKubeApiServer(HttpServer server, String callerToken, boolean tls) {
    this.server = server;
    this.tls = tls;
    this.callerToken = callerToken;
    this.acceptedCallerToken = callerToken;
  }

  /**
   * Starts on 127.0.0.1 with a certificate from {@code pki}; {@code callerToken} is the token the
   * gateway's own ServiceAccount presents.
   */
  public static FakeKubeApiServer start(Vertx vertx, TestPki pki, Path dir, String callerToken)
      throws Exception {
    TestPki.ServingFiles files = pki.issue(dir, "kubernetes");
    FakeKubeApiServer[] self = new FakeKubeApiServer[1];
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(files.certFile().toString())
                            .setKeyPath(files.keyFile().toString())))
            .requestHandler(request -> self[0].handle(request));
    self[0] = new FakeKubeApiServer(server, callerToken, true);
    server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return self[0];
  }

  /** Plain HTTP on 127.0.0.1 (the demo, where the gateway is told --kube-api http://…). */
  public static FakeKubeApiServer startPlain(Vertx vertx, int port, String callerToken)
      throws Exception {
    FakeKubeApiServer[] self = new FakeKubeApiServer[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
    self[0] = new FakeKubeApiServer(server, callerToken, false);
    server
        .listen(port, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return self[0];
  }

  /**
   * {@code java -cp … FakeKubeApiServer --port N --caller-token-file F --labelled-namespace NS
   * --mint FILE=NS:ACCOUNT}: the demo's stand-in for Kubernetes. It accepts the gateway's own token
   * from F, labels NS for injection, and writes a projected-style token of NS:ACCOUNT (audience
   * holysheep-gateway) to FILE, as the kubelet would.
   */
  public static void main(String[] args) throws Exception {
    java.util.Map<String, String> flags = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i], args[i + 1]);
    }
    String caller =
        java.nio.file.Files.readString(Path.of(flags.get("--caller-token-file"))).strip();
    FakeKubeApiServer api =
        startPlain(Vertx.vertx(), Integer.parseInt(flags.getOrDefault("--port", "0")), caller);
    String labelled = flags.get("--labelled-namespace");
    api.namespace(labelled, Map.of("holysheep.ai/injection", "enabled"));
    String[] mint = flags.get("--mint").split("=", 2);
    String[] who = mint[1].split(":", 2);
    String token =
        ServiceAccountTokens.jwt(
            who[0],
            who[1],
            List.of("holysheep-gateway"),
            java.time.Instant.now().plus(java.time.Duration.ofHours(1)));
    api.serviceAccountToken(token, who[0], who[1], List.of("holysheep-gateway"));
    java.nio.file.Files.writeString(Path.of(mint[0]), token);
    System.out.println("fake-kube-api listening on " + api.uri());
  }

  public URI uri() {
    return URI.create((tls ? "https://localhost:" : "http://127.0.0.1:") + server.actualPort());
  }

  /** A valid ServiceAccount token of {@code namespace}/{@code account} for {@code audiences}. */
  public void serviceAccountToken(
      String token, String namespace, String account, List<String> audiences) {
    tokens.put(
        token, new Identity("system:serviceaccount:" + namespace + ":" + account, audiences));
  }

  /** A valid token of a user (not a ServiceAccount). */
  public void userToken(String token, String username, List<String> audiences) {
    tokens.put(token, new Identity(username, audiences));
  }

  public void namespace(String name, Map<String, String> labels) {
    namespaces.put(
        name,
        new JsonObject()
            .put("apiVersion", "v1")
            .put("kind", "Namespace")
            .put(
                "metadata",
                new JsonObject()
                    .put("name", name)
                    .put("labels", new JsonObject(Map.copyOf(labels)))));
  }

  public void fault(Fault value) {
    fault = value;
  }

  /** The token the gateway must present from now on (its file was rotated). */
  public void acceptCallerToken(String token) {
    acceptedCallerToken = token;
  }

  public int tokenReviews() {
    return tokenReviews.get();
  }

  public int namespaceGets() {
    return namespaceGets.get();
  }

  /** The {@code spec} of every TokenReview received, in order. */
  public List<JsonObject> reviewSpecs() {
    return List.copyOf(reviewSpecs);
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onComplete(
            body -> {
              if (!("Bearer " + acceptedCallerToken).equals(request.getHeader("Authorization"))) {
                status(request, 401, "Unauthorized");
                return;
              }
              boolean review =
                  request.path().equals("/apis/authentication.k8s.io/v1/tokenreviews")
                      && request.method().name().equals("POST");
              boolean namespace = request.path().startsWith("/api/v1/namespaces/");
              if (review) {
                tokenReviews.incrementAndGet();
              } else if (namespace) {
                namespaceGets.incrementAndGet();
              }
              switch (fault) {
                case STALL -> {
                  return;
                }
                case STATUS_500 -> {
                  status(request, 500, "InternalError");
                  return;
                }
                case STATUS_403 -> {
                  status(request, 403, "Forbidden");
                  return;
                }
                case MALFORMED -> {
                  request
                      .response()
                      .putHeader("content-type", "text/html")
                      .end("<html>proxy</html>");
                  return;
                }
                default -> {}
              }
              if (review) {
                review(request, body.result().toJsonObject());
              } else if (namespace) {
                JsonObject found =
                    namespaces.get(request.path().substring("/api/v1/namespaces/".length()));
                if (found == null) {
                  status(request, 404, "NotFound");
                } else {
                  json(request, 200, found);
                }
              } else {
                status(request, 404, "NotFound");
              }
            });
  }

  private void review(HttpServerRequest request, JsonObject body) {
    JsonObject spec = body.getJsonObject("spec");
    reviewSpecs.add(spec);
    Identity identity = tokens.get(spec.getString("token"));
    List<?> wanted = spec.getJsonArray("audiences", new JsonArray()).getList();
    JsonObject status = new JsonObject().put("authenticated", false);
    if (identity == null) {
      status.put("error", "[invalid bearer token, token lookup failed]");
    } else {
      List<String> matched = identity.audiences().stream().filter(wanted::contains).toList();
      if (matched.isEmpty()) {
        status.put("error", "[invalid bearer token, token audiences is invalid for the target]");
      } else {
        status
            .put("authenticated", true)
            .put("audiences", new JsonArray(matched))
            .put("user", new JsonObject().put("username", identity.username()));
      }
    }
    json(
        request,
        201,
        new JsonObject()
            .put("apiVersion", "authentication.k8s.io/v1")
            .put("kind", "TokenReview")
            .put("spec", new JsonObject().put("audiences", spec.getJsonArray("audiences")))
            .put("status", status));
  }

  private static void status(HttpServerRequest request, int code, String reason) {
    json(
        request,
        code,
        new JsonObject()
            .put("kind", "Status")
            .put("status", "Failure")
            .put("reason", reason)
            .put("code", code));
  }

  private static void json(HttpServerRequest request, int code, JsonObject body) {
    request
        .response()
        .setStatusCode(code)
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer(body.encode()));
  }

  public String callerToken() {
    return callerToken;
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
