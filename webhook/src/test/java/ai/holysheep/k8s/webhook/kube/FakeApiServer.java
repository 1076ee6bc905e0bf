package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An API server that misbehaves the way real ones do during upgrades, restores and rollouts: a
 * plain-HTTP front on loopback that forwards to the fabric8 mock server (CRUD) unless a fault says
 * otherwise. Faults are data: a list of rules, first match wins, each an {@link Action} for the
 * requests a predicate selects. Besides the rules, the listener itself can be taken away (connect
 * refused, every open connection cut) and given back on the same port.
 */
public final class FakeApiServer implements AutoCloseable {
  /** What the front does with a request a rule selects. */
  public enum Action {
    /** Pass it to the mock server (what happens to requests no rule selects). */
    FORWARD,
    /** 404 with a Status body, as for a resource whose CRD is not installed. */
    NOT_FOUND,
    /** A watch answered with an ERROR event carrying 410 Expired, then closed. */
    GONE,
    /** Never answered (the client's own timeout ends it). */
    STALL,
    /** 409 Conflict with a Status body, as for a write whose precondition failed. */
    CONFLICT
  }

  private record Rule(String name, Predicate<HttpServerRequest> selects, Action action) {}

  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "host");

  private final Vertx vertx = Vertx.vertx();
  private final MockApiServer mock = new MockApiServer();
  private final HttpClient upstream = vertx.createHttpClient();
  private final WebSocketClient upstreamSockets = vertx.createWebSocketClient();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final AtomicInteger expired = new AtomicInteger();
  private final AtomicInteger watchesOpened = new AtomicInteger();
  private volatile HttpServer server;
  private final java.util.concurrent.CompletableFuture<java.time.Instant> acceptedAgain =
      new java.util.concurrent.CompletableFuture<>();
  private final int port;

  public FakeApiServer() {
    server = listen(0);
    port = server.actualPort();
  }

  /** The underlying mock server (no faults): for a test's own setup and assertions. */
  public MockApiServer mock() {
    return mock;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** A client through the faulty front with the webhook's own settings ({@link KubeClients}). */
  public KubernetesClient client() {
    return KubeClients.create(
        new ConfigBuilder()
            .withMasterUrl(url())
            .withNamespace("default")
            .withTrustCerts(true)
            .withAutoConfigure(false)
            .build());
  }

  /** A kubeconfig pointing at this server, for a webhook started as a process (env KUBECONFIG). */
  public Path writeKubeconfig(Path file) throws IOException {
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: fake, cluster: {server: \"" + url() + "\"}}]",
            "users: [{name: fake, user: {token: fake-token}}]",
            "contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]",
            "current-context: fake",
            ""));
    return file;
  }

  /** Connections refused from now on; every open one (watches included) is cut. */
  public void refuse() throws Exception {
    HttpServer current = server;
    server = null;
    if (current != null) {
      await(current.close());
    }
  }

  /** Accepting again, on the same port. */
  public synchronized void accept() {
    if (server == null) {
      server = listen(port);
      acceptedAgain.complete(java.time.Instant.now());
    }
  }

  /**
   * Refuses now and accepts again after {@code outage}, without the caller waiting; {@link
   * #acceptedAgain()} tells when.
   */
  public void refuseFor(Duration outage) throws Exception {
    refuse();
    vertx.setTimer(
        outage.toMillis(),
        id ->
            vertx.executeBlocking(
                () -> {
                  accept();
                  return null;
                }));
  }

  /** Completes with the moment the listener came back after {@link #refuseFor}. */
  public java.util.concurrent.CompletableFuture<java.time.Instant> acceptedAgain() {
    return acceptedAgain;
  }

  /** Cuts every open connection (a dropped watch, an API server restarting) but keeps listening. */
  public void dropConnections() {
    connections.forEach(HttpConnection::close);
  }

  /** HolySheepConfig requests get 404, as before the CRD is installed. */
  public void hideCrd() {
    rules.add(
        new Rule("no-crd", r -> r.path().startsWith("/apis/holysheep.ai/"), Action.NOT_FOUND));
  }

  /** The CRD is there from now on. */
  public void installCrd() {
    rules.removeIf(rule -> rule.name().equals("no-crd"));
  }

  /** Watches whose path contains {@code pathPart} are answered with 410 Expired until cleared. */
  public void expireWatches(String pathPart) {
    rules.add(
        new Rule(
            "gone:" + pathPart,
            r -> "true".equals(r.getParam("watch")) && r.path().contains(pathPart),
            Action.GONE));
  }

  /** Requests whose path contains {@code pathPart} are never answered until cleared. */
  public void stall(String pathPart) {
    rules.add(new Rule("stall:" + pathPart, r -> r.path().contains(pathPart), Action.STALL));
  }

  /** Writes ({@code PATCH}, {@code PUT}) whose path contains {@code pathPart} get 409. */
  public void conflictOnWrites(String pathPart) {
    rules.add(
        new Rule(
            "conflict:" + pathPart,
            r ->
                (r.method().name().equals("PATCH") || r.method().name().equals("PUT"))
                    && r.path().contains(pathPart),
            Action.CONFLICT));
  }

  public void clearFaults() {
    rules.clear();
  }

  /** Requests seen so far whose path contains {@code pathPart} (any action). */
  public int requests(String pathPart) {
    return counted(requests, pathPart);
  }

  /** The most requests whose path contains {@code pathPart} that were open at one time. */
  public int maxInFlight(String pathPart) {
    return counted(maxInFlight, pathPart);
  }

  private static int counted(Map<String, AtomicInteger> byPath, String pathPart) {
    return byPath.entrySet().stream()
        .filter(e -> e.getKey().contains(pathPart))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  private HttpServer listen(int onPort) {
    HttpServer created =
        vertx
            .createHttpServer()
            .connectionHandler(
                connection -> {
                  connections.add(connection);
                  connection.closeHandler(v -> connections.remove(connection));
                })
            .requestHandler(this::handle);
    return await(created.listen(onPort, "127.0.0.1"));
  }

  private void handle(HttpServerRequest request) {
    String key = request.method() + " " + request.path();
    requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    AtomicInteger open = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
    int now = open.incrementAndGet();
    maxInFlight.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable finished =
        () -> {
          if (done.compareAndSet(false, true)) {
            open.decrementAndGet();
          }
        };
    request.response().closeHandler(v -> finished.run());
    request.response().endHandler(v -> finished.run());
    Action action =
        rules.stream()
            .filter(rule -> rule.selects().test(request))
            .map(Rule::action)
            .findFirst()
            .orElse(Action.FORWARD);
    switch (action) {
      case NOT_FOUND ->
          request
              .response()
              .setStatusCode(404)
              .putHeader("content-type", "application/json")
              .end(
                  "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                      + "\"message\":\"the server could not find the requested resource\","
                      + "\"reason\":\"NotFound\",\"details\":{},\"code\":404}");
      case GONE -> expire(request);
      case STALL -> request.pause();
      case CONFLICT ->
          request
              .response()
              .setStatusCode(409)
              .putHeader("content-type", "application/json")
              .end(
                  "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                      + "\"message\":\"the object has been modified\",\"reason\":\"Conflict\","
                      + "\"code\":409}");
      case FORWARD -> forward(request);
    }
  }

  private static final String EXPIRED =
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version\","
          + "\"reason\":\"Expired\",\"code\":410}}";

  /** A watch (HTTP stream or WebSocket) whose first and last event says 410 Expired. */
  /** WebSocket watches passed through to the mock server so far. */
  public int watchesOpened() {
    return watchesOpened.get();
  }

  /** Watches answered with 410 Expired so far. */
  public int expiredWatches() {
    return expired.get();
  }

  private void expire(HttpServerRequest request) {
    expired.incrementAndGet();
    if (isWebSocket(request)) {
      request
          .toWebSocket()
          .onSuccess(socket -> socket.writeTextMessage(EXPIRED).onComplete(sent -> socket.close()));
      return;
    }
    request.response().putHeader("content-type", "application/json").end(EXPIRED + "\n");
  }

  private static boolean isWebSocket(HttpServerRequest request) {
    return "websocket".equalsIgnoreCase(request.getHeader("upgrade"));
  }

  /** A WebSocket watch: connect upstream first, so its refusal reaches the client as a status. */
  private void forwardWebSocket(HttpServerRequest request) {
    request.pause();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(mock.port())
            .setURI(request.uri());
    request
        .headers()
        .forEach(
            (name, value) -> {
              String lower = name.toLowerCase(java.util.Locale.ROOT);
              if (lower.equals("sec-websocket-protocol")) {
                options.addSubProtocol(value);
              } else if (!lower.startsWith("sec-websocket")
                  && !HOP_BY_HOP.contains(lower)
                  && !lower.equals("upgrade")) {
                options.addHeader(name, value);
              }
            });
    upstreamSockets
        .connect(options)
        .onComplete(
            connected -> {
              if (connected.failed()) {
                int status =
                    connected.cause() instanceof UpgradeRejectedException rejected
                        ? rejected.getStatus()
                        : 502;
                request.response().setStatusCode(status).end();
                return;
              }
              WebSocket up = connected.result();
              request
                  .toWebSocket()
                  .onSuccess(
                      down -> {
                        watchesOpened.incrementAndGet();
                        up.frameHandler(
                            frame -> {
                              if (!down.isClosed()) {
                                down.writeFrame(frame);
                              }
                            });
                        down.frameHandler(
                            frame -> {
                              // a client's close frame is not passed on (see below)
                              if (!frame.isClose()) {
                                up.writeFrame(frame);
                              }
                            });
                        up.closeHandler(v -> down.close());
                        // the upstream socket is left open (and read) when the client side is
                        // cut or closed: closing a mock-server WebSocket while it writes an
                        // event blocks the mock's event loop for 30 s
                        // (WatchEventsListener.onClosed)
                      })
                  .onFailure(failed -> up.close());
            });
  }

  private void forward(HttpServerRequest request) {
    if (isWebSocket(request)) {
      forwardWebSocket(request);
      return;
    }
    request.pause();
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost("127.0.0.1")
            .setPort(mock.port())
            .setURI(request.uri())
            .setHeaders(copy(request.headers()));
    upstream
        .request(options)
        .compose(out -> out.send(request))
        .onComplete(
            answered -> {
              if (answered.failed()) {
                request.response().setStatusCode(502).end();
                return;
              }
              HttpClientResponse in = answered.result();
              request.response().setStatusCode(in.statusCode());
              request.response().headers().addAll(copy(in.headers()));
              request.response().setChunked(true);
              in.pipeTo(request.response());
            });
  }

  private static MultiMap copy(MultiMap headers) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(
        (name, value) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            copy.add(name, value);
          }
        });
    return copy;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      refuse();
    } catch (Exception ignored) {
      // closing best effort
    }
    await(vertx.close());
    mock.close();
  }
}
