package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.admission.AdmissionService;
import ai.holysheep.k8s.webhook.admission.Readiness;
import ai.holysheep.k8s.webhook.admission.WarningEvents;
import ai.holysheep.k8s.webhook.inject.ConfigSource;
import ai.holysheep.k8s.webhook.inject.Injector;
import ai.holysheep.k8s.webhook.inject.InjectorOptions;
import ai.holysheep.k8s.webhook.inject.NativeSupport;
import ai.holysheep.k8s.webhook.inject.NodeVersions;
import ai.holysheep.k8s.webhook.kube.CaBundleReconciler;
import ai.holysheep.k8s.webhook.kube.CaFileBundle;
import ai.holysheep.k8s.webhook.kube.InformerConfigSource;
import ai.holysheep.k8s.webhook.kube.InformerNodeVersions;
import ai.holysheep.k8s.webhook.kube.KubeWarningEvents;
import ai.holysheep.k8s.webhook.kube.SelfSignedCertificates;
import ai.holysheep.k8s.webhook.kube.SelfSignedOptions;
import ai.holysheep.k8s.webhook.metrics.WebhookMetrics;
import ai.holysheep.k8s.webhook.tls.CertificateReloader;
import ai.holysheep.k8s.webhook.tls.CertificateSource;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One running webhook, in process: the wiring of {@code serve}. Tests start several against one
 * mock API server; {@link ServeCommand} starts one and adds signals and the drain delay.
 */
public final class Webhook {
  private static final System.Logger LOG = System.getLogger(Webhook.class.getName());

  private final Vertx vertx;
  private final ServeOptions options;
  private final Readiness readiness = new Readiness();
  private final WebhookMetrics metrics = new WebhookMetrics();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private SelfSignedCertificates selfSigned;
  private CaBundleReconciler reconciler;
  private CaFileBundle caFile;
  private CertificateSource source;
  private AdmissionServer server;
  private CertificateReloader reloader;
  private long timerId = -1;

  private Webhook(Vertx vertx, ServeOptions options) {
    this.vertx = vertx;
    this.options = options;
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
    Webhook webhook = new Webhook(vertx, options);
    return vertx
        .executeBlocking(() -> webhook.prepare(selfOptions, chartDefault, client, clock), false)
        .compose(service -> webhook.listen(service, clock));
  }

  private AdmissionService prepare(
      SelfSignedOptions selfOptions, JsonNode chartDefault, KubernetesClient client, Clock clock) {
    boolean kube = !options.noKube() && client != null;
    ConfigSource configs = ConfigSource.ofDefault(chartDefault);
    NodeVersions nodes = nodeVersions(kube ? client : null);
    WarningEvents events = WarningEvents.none();
    if (kube) {
      InformerConfigSource informerConfigs = InformerConfigSource.start(client, chartDefault);
      closeables.add(informerConfigs);
      configs = informerConfigs;
      KubeWarningEvents kubeEvents = new KubeWarningEvents(client, clock);
      closeables.add(kubeEvents);
      events = kubeEvents;
    }
    if (options.certMode() == CertMode.SELF) {
      selfSigned = new SelfSignedCertificates(client, selfOptions, clock);
      selfSigned.sync();
      reconciler = new CaBundleReconciler(client, selfOptions.webhookConfigName());
      closeables.add(reconciler);
      reconciler.desire(selfSigned.caBundlePem());
      reconciler.ensureWatching();
      source = CertificateSource.of(selfSigned::serving);
    } else {
      source = CertificateSource.files(options.tlsCert(), options.tlsKey());
      // certManager: cert-manager's CA injector owns caBundle; a second writer would fight it
      if (kube && options.certMode() == CertMode.FILES) {
        caFile = new CaFileBundle(options.tlsCa());
        reconciler = new CaBundleReconciler(client, options.webhookConfigName());
        closeables.add(reconciler);
        syncCaFile();
      }
    }
    ConfigSource readyConfigs = configs;
    readiness
        .add("certificate", () -> reloader != null && reloader.current() != null)
        .add("configs", readyConfigs::synced)
        .add("nodes", nodes::synced);
    InjectorOptions injectorOptions =
        InjectorOptions.defaults()
            .withRunAsUser(options.sidecarUid())
            .withResources(options.sidecarResources());
    if (options.sidecarImage() != null) {
      injectorOptions = injectorOptions.withImage(options.sidecarImage());
    }
    AdmissionService service =
        new AdmissionService(Injector.create(injectorOptions), configs, nodes, events);
    service.warmUp();
    return service;
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
        return informer;
    }
  }

  private Future<Webhook> listen(AdmissionService service, Clock clock) {
    ServingCertificate initial =
        source
            .load()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no usable TLS certificate: expected PEM files "
                            + options.tlsCert()
                            + " and "
                            + options.tlsKey()));
    return AdmissionServer.start(
            vertx, options.serverOptions(), service, readiness, metrics, initial)
        .map(
            started -> {
              server = started;
              reloader = new CertificateReloader(vertx, source, initial, server::updateCertificate);
              metrics.certificateRemaining(() -> reloader.current().remaining(clock));
              timerId =
                  vertx.setPeriodic(
                      options.reloadInterval().toMillis(), id -> refreshCertificate());
              return this;
            });
  }

  /**
   * One certificate tick: in self mode sync the Secret and the caBundle first, in files mode the
   * caBundle from {@code ca.crt}; then reload the serving certificate.
   */
  public Future<Boolean> refreshCertificate() {
    if (selfSigned == null && caFile == null) {
      return reloader.tick();
    }
    return vertx
        .executeBlocking(
            () -> {
              if (selfSigned != null) {
                selfSigned.sync();
                reconciler.desire(selfSigned.caBundlePem());
                reconciler.ensureWatching();
              } else {
                syncCaFile();
              }
              return null;
            },
            false)
        .compose(
            ignored -> reloader.tick(),
            failure -> {
              LOG.log(
                  Level.WARNING,
                  "caBundle sync failed (serving the current certificate): "
                      + failure.getMessage());
              return reloader.tick();
            });
  }

  /** Files mode: enforce ca.crt as caBundle once it holds a certificate; blocking. */
  private void syncCaFile() {
    caFile
        .load()
        .ifPresent(
            pem -> {
              reconciler.desire(pem);
              reconciler.ensureWatching();
            });
  }

  public int port() {
    return server.port();
  }

  public Readiness readiness() {
    return readiness;
  }

  public ServingCertificate servingCertificate() {
    return reloader.current();
  }

  /**
   * The caBundle reconciler in self mode and in files mode with an API server, else null (also in
   * certManager mode: cert-manager's CA injector owns caBundle there).
   */
  public CaBundleReconciler caBundleReconciler() {
    return reconciler;
  }

  public Future<Void> close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
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
}
