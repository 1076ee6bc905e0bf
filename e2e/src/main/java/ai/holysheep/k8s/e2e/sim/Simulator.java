package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;

/**
 * An OpenAI-compatible upstream for tests, demos and benchmarks: answers {@code GET /v1/models},
 * {@code POST /v1/chat/completions} (JSON, or SSE with {@code "stream": true}), {@code POST
 * /v1/embeddings} and echoes any other path; records what it received; misbehaves on demand through
 * {@link #setFault(Fault)} or {@code POST /_sim/fault}.
 */
public final class Simulator {
  private final SimulatorOptions options;
  private final HttpServer server;
  private final RequestLog log;
  private final FaultState faults;

  private Simulator(
      SimulatorOptions options, HttpServer server, RequestLog log, FaultState faults) {
    this.options = options;
    this.server = server;
    this.log = log;
    this.faults = faults;
  }

  /** Starts listening; the future completes once the port is bound. */
  public static Future<Simulator> start(Vertx vertx, SimulatorOptions options) {
    HttpServerOptions serverOptions = new HttpServerOptions();
    if (options.tls() != null) {
      serverOptions
          .setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(options.tls().certPath())
                  .setKeyPath(options.tls().keyPath()));
    }
    RequestLog log = new RequestLog(options.maxRecorded());
    FaultState faults = new FaultState();
    ApiHandler api = new ApiHandler(vertx, options, log, faults);
    HttpServer server = vertx.createHttpServer(serverOptions);
    Simulator simulator = new Simulator(options, server, log, faults);
    AdminApi admin = new AdminApi(simulator);
    server.connectionHandler(connection -> log.connectionAccepted());
    server.requestHandler(
        (HttpServerRequest request) -> {
          if (request.path().startsWith(AdminApi.PREFIX)) {
            admin.handle(request);
          } else {
            api.handle(request);
          }
        });
    return server.listen(options.port(), options.host()).map(bound -> simulator);
  }

  public String name() {
    return options.name();
  }

  /** The bound port (the real one when the options asked for 0). */
  public int port() {
    return server.actualPort();
  }

  /** Scheme, host and port with no path, e.g. "http://127.0.0.1:41234". */
  public String rootUrl() {
    String host = options.host();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::")) {
      host = "::1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (options.tls() == null ? "http" : "https") + "://" + host + ":" + port();
  }

  /** The OpenAI base URL, e.g. "http://127.0.0.1:41234/v1". */
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /** Replaces the current fault; it applies to the next matching requests. */
  public void setFault(Fault fault) {
    faults.set(fault);
  }

  public void clearFault() {
    faults.clear();
  }

  /** The current fault with its remaining {@code times}, or null. */
  public Fault fault() {
    return faults.current();
  }

  /** The recorded requests, oldest first (at most {@link SimulatorOptions#maxRecorded()}). */
  public List<RecordedRequest> received() {
    return log.received();
  }

  RequestLog requestLog() {
    return log;
  }

  /** Forgets recorded requests and resets {@link #requestCount()}. */
  public void clearReceived() {
    log.clear();
  }

  /** Requests received in full since start or the last {@link #clearReceived()}. */
  public int requestCount() {
    return log.requests();
  }

  /** TCP (or TLS) connections accepted since start, admin calls included. */
  public int connectionsAccepted() {
    return log.connections();
  }

  /** Requests whose client closed the connection or stream before the answer ended. */
  public int cancelledRequests() {
    return log.cancelled();
  }

  /** Completes once {@link #requestCount()} reaches {@code atLeast}; bound the wait yourself. */
  public Future<Void> awaitRequests(int atLeast) {
    return log.awaitRequests(atLeast);
  }

  /** Completes once {@link #connectionsAccepted()} reaches {@code atLeast}. */
  public Future<Void> awaitConnections(int atLeast) {
    return log.awaitConnections(atLeast);
  }

  /** Completes once {@link #cancelledRequests()} reaches {@code atLeast}. */
  public Future<Void> awaitCancelled(int atLeast) {
    return log.awaitCancelled(atLeast);
  }

  public Future<Void> close() {
    return server.close();
  }
}
