package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.admission.AdmissionService;
import ai.holysheep.k8s.webhook.admission.Liveness;
import ai.holysheep.k8s.webhook.admission.LoopbackWarmUp;
import ai.holysheep.k8s.webhook.admission.Readiness;
import ai.holysheep.k8s.webhook.admission.WarningEvents;
import ai.holysheep.k8s.webhook.inject.ClusterConfig;
import ai.holysheep.k8s.webhook.inject.ConfigSource;
import ai.holysheep.k8s.webhook.inject.GatewayUpstream;
import ai.holysheep.k8s.webhook.inject.Injector;
import ai.holysheep.k8s.webhook.inject.InjectorOptions;
import ai.holysheep.k8s.webhook.inject.NativeSupport;
import ai.holysheep.k8s.webhook.inject.NodeVersions;
import ai.holysheep.k8s.webhook.inject.UpstreamRouting;
import ai.holysheep.k8s.webhook.kube.CaBundleReconciler;
import ai.holysheep.k8s.webhook.kube.InformerConfigSource;
import ai.holysheep.k8s.webhook.kube.InformerNodeVersions;
import ai.holysheep.k8s.webhook.kube.KubeWarningEvents;
import ai.holysheep.k8s.webhook.kube.SelfSignedOptions;
import ai.holysheep.k8s.webhook.metrics.WebhookMetrics;
import ai.holysheep.k8s.webhook.tls.CertificateReloader;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One running webhook, in process: the wiring of {@code serve}. Tests start several against one
 * mock API server; {@link ServeCommand} starts one and adds signals and the drain.
 *
 * <p>Start never waits for the API server: informers retry in the background, the self-mode Secret
 * is retried by the refresh loop (a placeholder certificate is served meanwhile), and {@code
 * /readyz} says what is still missing. Once everything else is there, a loopback warm-up runs, and
 * only then is the replica ready.
 */
public final class Webhook {
  private static final System.Logger LOG = System.getLogger(Webhook.class.getName());

  /** How often readiness is re-evaluated to start the warm-up and report the ready moment. */
  static final Duration READY_POLL = Duration.ofMillis(100);

  private final Vertx vertx;
  private final ServeOptions options;
  private final Clock clock;
  private final Readiness readiness = new Readiness();
  private final Liveness liveness = new Liveness();
  private final WebhookMetrics metrics = new WebhookMetrics();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final RefreshLoop refresh;
  private final Certificates certificates;
  private AdmissionServer server;
  private CertificateReloader reloader;
  private volatile WarmUpState warmUp = WarmUpState.WAITING;
  private volatile Runnable onReady = () -> {};
  private long readyTimer = -1;

  private enum WarmUpState {
    WAITING,
    RUNNING,
    DONE
  }

  private Webhook(
      Vertx vertx,
      ServeOptions options,
      SelfSignedOptions selfOptions,
      KubernetesClient client,
      Clock clock) {
    this.vertx = vertx;
    this.options = options;
    this.clock = clock;
    this.certificates = new Certificates(options, selfOptions, client, clock);
    this.refresh = new RefreshLoop(this::tick);
    closeables.add(refresh);
  }

  /**
   * @param client API server access, or null with {@code --no-kube}
   * @param selfOptions settings of the self certificate mode (ignored in the file modes)
   */
  public static Future<Webhook> start(
      Vertx vertx,
      ServeOptions options,
      SelfSignedOptions selfOptions,
      JsonNode chartDefault,
      KubernetesClient client,
      Clock clock) {
    Webhook webhook = new Webhook(vertx, options, selfOptions, client, clock);
    return vertx
        .executeBlocking(() -> webhook.prepare(chartDefault, client), false)
        .compose(webhook::listen);
  }

  private AdmissionService prepare(JsonNode chartDefault, KubernetesClient client) {
    boolean kube = !options.noKube() && client != null;
    ConfigSource configs = ConfigSource.ofDefault(chartDefault);
    NodeVersions nodes = nodeVersions(kube ? client : null);
    WarningEvents events = WarningEvents.none();
    if (kube) {
      InformerConfigSource informerConfigs = InformerConfigSource.start(client, chartDefault);
      closeables.add(informerConfigs);
      configs = informerConfigs;
      readiness.add("configs", informerConfigs.informer()::notReady);
      liveness.add("configs", informerConfigs.informer()::broken);
      KubeWarningEvents kubeEvents = new KubeWarningEvents(client, clock);
      closeables.add(kubeEvents);
      events = kubeEvents;
    }
    certificates.prepare(refresh::runAfter);
    closeables.add(certificates);
    readiness
        .add("certificate", () -> certificates.waitingFor(reloader))
        .add("warm-up", this::warmUpWaiting);
    InjectorOptions injectorOptions =
        InjectorOptions.defaults()
            .withRunAsUser(options.sidecarUid())
            .withResources(options.sidecarResources());
    if (options.sidecarImage() != null) {
      injectorOptions = injectorOptions.withImage(options.sidecarImage());
    }
    injectorOptions = injectorOptions.withRouting(routing(kube));
    AdmissionService service =
        new AdmissionService(Injector.create(injectorOptions), configs, nodes, events);
    service.warmUp();
    return service;
  }

  /**
   * The default upstream, the gateway (with the CA that signs its certificate) and the cluster
   * default config in this namespace.
   */
  private UpstreamRouting routing(boolean kube) {
    GatewayServeOptions gw = options.gateway();
    GatewayUpstream gateway =
        gw.url() == null
            ? null
            : new GatewayUpstream(gw.url(), certificates.gatewayCa(), gw.audience());
    ClusterConfig cluster =
        kube
            ? new ClusterConfig(options.namespace(), gw.clusterConfigName())
            : ClusterConfig.none();
    return new UpstreamRouting(gw.defaultUpstream(), gateway, cluster);
  }

  private NodeVersions nodeVersions(KubernetesClient client) {
    switch (options.nativeSidecar()) {
      case "true":
        return NodeVersions.fixed(NativeSupport.ALL_NATIVE);
      case "false":
        return NodeVersions.fixed(NativeSupport.NOT_ALL_NATIVE);
      default:
        if (client == null) {
          return NodeVersions.fixed(NativeSupport.NOT_ALL_NATIVE);
        }
        InformerNodeVersions informer = InformerNodeVersions.start(client);
        closeables.add(informer);
        readiness.add("nodes", informer.informer()::notReady);
        liveness.add("nodes", informer.informer()::broken);
        return informer;
    }
  }

  private Future<Webhook> listen(AdmissionService service) {
    ServingCertificate initial = certificates.initial();
    return AdmissionServer.start(
            vertx, options.serverOptions(), service, readiness, liveness, metrics, initial)
        .map(
            started -> {
              server = started;
              reloader =
                  new CertificateReloader(
                      certificates.source(), initial, server::updateCertificate);
              metrics.certificateRemaining(() -> reloader.current().remaining(clock));
              refresh.start(options.reloadInterval());
              refresh.soon();
              readyTimer = vertx.setPeriodic(READY_POLL.toMillis(), id -> checkReady());
              return this;
            });
  }

  /** One refresh: the Secret and caBundle (when this mode keeps them), then the certificate. */
  private void tick() {
    certificates.sync();
    reloader.reload();
  }

  private Optional<String> warmUpWaiting() {
    return warmUp == WarmUpState.DONE
        ? Optional.empty()
        : Optional.of(
            "loopback TLS handshakes and dry-run reviews until the JIT is quiet (at most "
                + options.warmUpRounds() * LoopbackWarmUp.PARALLEL
                + ")");
  }

  /** Starts the warm-up once everything else is ready; reports the ready moment once. */
  private void checkReady() {
    List<String> waiting = readiness.waitingFor();
    if (warmUp == WarmUpState.WAITING && waiting.equals(List.of("warm-up"))) {
      warmUp = WarmUpState.RUNNING;
      long started = System.nanoTime();
      LoopbackWarmUp.run(vertx, server.port(), options.warmUpRounds())
          .onComplete(
              done -> {
                warmUp = WarmUpState.DONE;
                LOG.log(
                    Level.INFO,
                    "warm-up: "
                        + done.result()
                        + " rounds of "
                        + LoopbackWarmUp.PARALLEL
                        + " loopback reviews in "
                        + Duration.ofNanos(System.nanoTime() - started).toMillis()
                        + " ms");
              });
    } else if (waiting.isEmpty()) {
      vertx.cancelTimer(readyTimer);
      onReady.run();
    }
  }

  /** Runs {@code listener} once, when {@code /readyz} first answers 200. */
  public void onReady(Runnable listener) {
    this.onReady = listener;
  }

  /**
   * One certificate tick, as the periodic refresh does it (tests call it directly); completes with
   * true when a different certificate is served from now on.
   */
  public Future<Boolean> refreshCertificate() {
    return Future.fromCompletionStage(
        refresh.submit(
            () -> {
              certificates.sync();
              return reloader.reload();
            }));
  }

  public int port() {
    return server.port();
  }

  public Readiness readiness() {
    return readiness;
  }

  public Liveness liveness() {
    return liveness;
  }

  public AdmissionServer server() {
    return server;
  }

  public ServingCertificate servingCertificate() {
    return reloader.current();
  }

  /**
   * The caBundle reconciler in self mode and in files mode with an API server, else null (also in
   * certManager mode: cert-manager's CA injector owns caBundle there).
   */
  public CaBundleReconciler caBundleReconciler() {
    return certificates.reconciler();
  }

  /** SIGTERM: unready at once, and every answer from now on closes its connection. */
  public void drain() {
    readiness.startDraining();
    if (server != null) {
      server.drain();
    }
  }

  /** Stops accepting, lets in-flight admissions finish within {@code grace}, then closes all. */
  public Future<Void> shutdown(Duration grace) {
    if (readyTimer >= 0) {
      vertx.cancelTimer(readyTimer);
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(grace);
    return closed.eventually(
        () ->
            vertx.executeBlocking(
                () -> {
                  for (AutoCloseable c : closeables) {
                    try {
                      c.close();
                    } catch (Exception ignored) {
                      // closing best effort: the process is going away
                    }
                  }
                  return null;
                },
                false));
  }

  /** Closes at once (tests). */
  public Future<Void> close() {
    return shutdown(Duration.ZERO);
  }
}
