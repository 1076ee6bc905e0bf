package ai.holysheep.k8s.sidecar;

import ai.holysheep.k8s.config.Durations;
import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.sidecar.admin.AdminHandler;
import ai.holysheep.k8s.sidecar.cache.StaleCache;
import ai.holysheep.k8s.sidecar.config.KeyStore;
import ai.holysheep.k8s.sidecar.metrics.SidecarMetrics;
import ai.holysheep.k8s.sidecar.overload.LoadShedder;
import ai.holysheep.k8s.sidecar.overload.OverloadOptions;
import ai.holysheep.k8s.sidecar.proxy.BufferBudget;
import ai.holysheep.k8s.sidecar.proxy.InvalidRequests;
import ai.holysheep.k8s.sidecar.proxy.ProxyContext;
import ai.holysheep.k8s.sidecar.proxy.ProxyHandler;
import ai.holysheep.k8s.sidecar.upstream.HealthChecker;
import ai.holysheep.k8s.sidecar.upstream.Upstreams;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

final class SidecarServer implements Sidecar {
  private static final System.Logger LOG = System.getLogger(SidecarServer.class.getName());

  /** Default drain window for {@code POST /shutdown}. */
  static final Duration DEFAULT_DRAIN_WINDOW = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final SidecarOptions options;
  private final Upstreams upstreams;
  private final StaleCache cache;
  private final HealthChecker healthChecker;
  private final PrometheusMeterRegistry registry;
  private final List<HttpServer> proxyServers = new ArrayList<>();
  private final List<ListenAddress> proxyAddresses = new ArrayList<>();
  private final Promise<Void> terminated = Promise.promise();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final String configHash;
  private HttpServer adminServer;
  private volatile boolean ready;

  private SidecarServer(Vertx vertx, SidecarOptions options) {
    this.vertx = vertx;
    this.options = options;
    HolySheepConfig config = options.config();
    this.configHash = config.hash();
    this.registry = options.registryOrNew();
    KeyStore keys = KeyStore.create(options.secretsDir(), options.env());
    this.upstreams = Upstreams.create(vertx, config, keys, options.clock(), options.upstreamPool());
    SidecarMetrics metrics = new SidecarMetrics(registry, configHash, upstreams.all());
    this.cache =
        StaleCache.create(
            vertx,
            config.cache(),
            options.env().getOrDefault("HOLYSHEEP_POD_NAMESPACE", "default"),
            this::redisPassword,
            registry,
            options.clock());
    this.healthChecker =
        new HealthChecker(
            vertx,
            upstreams.all(),
            config.healthCheck(),
            config.healthCheck().timeout(),
            options.clock(),
            upstream -> {});
    ProxyContext context =
        new ProxyContext(
            vertx,
            config,
            upstreams,
            metrics,
            cache,
            new BufferBudget(options.bufferBudgetBytes()),
            options.maxReplayBodyBytes(),
            options.maxBufferedAnswerBytes(),
            options.clock());
    this.proxyHandler = new ProxyHandler(context);
    this.front = options.front();
    this.shedder = LoadShedder.create(vertx, OverloadOptions.fromEnv(options.env()), registry);
    this.frontHandler = shedder.wrap(front.handler(proxyHandler, registry));
  }

  private final ProxyHandler proxyHandler;
  private final ProxyFront front;
  private final Handler<HttpServerRequest> frontHandler;
  private final LoadShedder shedder;

  static Future<Sidecar> start(Vertx vertx, SidecarOptions options) {
    SidecarServer server;
    try {
      server = new SidecarServer(vertx, options);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return server
        .listen()
        .map(v -> (Sidecar) server)
        .recover(e -> server.close().transform(x -> Future.failedFuture(e)));
  }

  private Future<Void> listen() {
    Future<Void> chain = Future.succeededFuture();
    List<ListenAddress> requested = options.listen();
    for (ListenAddress address : requested) {
      chain = chain.compose(v -> listenProxy(address, requested.size() > 1));
    }
    return chain
        .compose(
            v -> {
              if (proxyAddresses.isEmpty()) {
                return Future.failedFuture(
                    new IllegalStateException("no proxy listener could bind: " + requested));
              }
              ListenAddress admin = options.adminListen();
              return vertx
                  .createHttpServer(new HttpServerOptions().setIdleTimeout(60))
                  .requestHandler(
                      new AdminHandler(
                          configHash,
                          upstreams,
                          registry,
                          () -> ready,
                          () ->
                              shutdown(
                                  DEFAULT_DRAIN_WINDOW, SidecarOptions.DEFAULT_SHUTDOWN_TIMEOUT),
                          options.clock()))
                  .listen(admin.port(), admin.host())
                  .map(
                      server -> {
                        adminServer = server;
                        return (Void) null;
                      });
            })
        .compose(v -> front.start(vertx, proxyServersSnapshot()))
        .onSuccess(
            v -> {
              healthChecker.start();
              ready = true;
            });
  }

  /**
   * Binds one address with one listener instance per configured event loop (one deployment, so
   * Vert.x spreads connections over them). A missing IPv6 loopback is tolerated when other
   * addresses bind.
   */
  private Future<Void> listenProxy(ListenAddress address, boolean tolerateFailure) {
    // Vert.x shares a port between the instances of one deployment only for a fixed port; an
    // ephemeral port (tests) gets a single listener.
    int instances = address.port() == 0 ? 1 : options.serverInstances();
    return deployListeners(address, instances)
        .map(
            bound -> {
              proxyAddresses.add(bound);
              return (Void) null;
            })
        .recover(
            failure -> {
              if (tolerateFailure && address.host().contains(":")) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "proxy listener {0} not started: {1}",
                    address,
                    failure.getMessage());
                return Future.succeededFuture();
              }
              return Future.failedFuture(
                  new IllegalStateException(
                      "cannot listen on " + address + ": " + failure.getMessage(), failure));
            });
  }

  private Future<ListenAddress> deployListeners(ListenAddress address, int instances) {
    // WebSocket upgrades are refused (ProxyHandler), so the WebSocket compression handshaker Vert.x
    // otherwise puts in every connection's pipeline only costs: it inspected every request's and
    // answer's headers, 3% of the proxy's CPU per request (JFR at saturation).
    HttpServerOptions serverOptions =
        front.serverOptions(
            new HttpServerOptions()
                .setCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setHandle100ContinueAutomatically(true)
                .setTcpNoDelay(true)
                // HTTP/1.1 only (the SDKs' protocol): h2c detection would delay a connection's
                // handler to its first bytes, so the front door could not bound it at accept.
                .setHttp2ClearTextEnabled(false));
    List<ListenAddress> bound = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(serverOptions)
                        .requestHandler(frontHandler)
                        .connectionHandler(shedder::onConnection)
                        .invalidRequestHandler(InvalidRequests.INSTANCE)
                        .listen(address.port(), address.host())
                        .onSuccess(
                            server -> {
                              synchronized (proxyServers) {
                                proxyServers.add(server);
                              }
                              bound.add(address.withPort(server.actualPort()));
                            });
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .map(id -> bound.get(0));
  }

  private List<HttpServer> proxyServersSnapshot() {
    synchronized (proxyServers) {
      return List.copyOf(proxyServers);
    }
  }

  private String redisPassword() {
    var ref = options.config().cache().redisSecretRef();
    if (ref != null) {
      Path file = options.secretsDir().resolve(ref.mountPath());
      try {
        if (Files.isReadable(file)) {
          return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
      } catch (java.io.IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot read Redis password file {0}", file);
      }
    }
    return options.env().get("HOLYSHEEP_REDIS_PASSWORD");
  }

  @Override
  public int proxyPort() {
    return proxyAddresses.get(0).port();
  }

  @Override
  public List<ListenAddress> proxyAddresses() {
    return List.copyOf(proxyAddresses);
  }

  @Override
  public int adminPort() {
    return adminServer.actualPort();
  }

  @Override
  public ListenAddress adminAddress() {
    return options.adminListen().withPort(adminPort());
  }

  @Override
  public String configHash() {
    return configHash;
  }

  @Override
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public Future<Void> shutdown(Duration drainWindow, Duration finishTimeout) {
    if (!shuttingDown.compareAndSet(false, true)) {
      return terminated.future();
    }
    LOG.log(
        System.Logger.Level.INFO,
        "shutting down: serving for {0} more, then finishing in-flight requests",
        Durations.format(drainWindow));
    Promise<Void> drained = Promise.promise();
    if (drainWindow.isZero() || drainWindow.isNegative()) {
      drained.complete();
    } else {
      vertx.setTimer(drainWindow.toMillis(), id -> drained.complete());
    }
    drained
        .future()
        .compose(
            v -> {
              ready = false;
              List<Future<Void>> stopping = new ArrayList<>();
              for (HttpServer server : proxyServersSnapshot()) {
                stopping.add(server.shutdown(finishTimeout.toMillis(), TimeUnit.MILLISECONDS));
              }
              return Future.join(stopping);
            })
        .eventually(this::releaseAll)
        .onComplete(done -> terminated.tryComplete());
    return terminated.future();
  }

  @Override
  public Future<Void> terminated() {
    return terminated.future();
  }

  @Override
  public Future<Void> close() {
    shuttingDown.set(true);
    ready = false;
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpServer server : proxyServersSnapshot()) {
      closing.add(server.close());
    }
    return Future.join(closing)
        .eventually(this::releaseAll)
        .transform(
            done -> {
              terminated.tryComplete();
              return Future.<Void>succeededFuture();
            });
  }

  private Future<Void> releaseAll() {
    healthChecker.stop();
    List<Future<?>> closing = new ArrayList<>();
    if (adminServer != null) {
      closing.add(adminServer.close());
    }
    closing.add(upstreams.close());
    closing.add(cache.close());
    closing.add(front.close());
    return Future.join(closing).mapEmpty();
  }
}
