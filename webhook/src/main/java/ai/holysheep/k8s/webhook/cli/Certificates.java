package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.webhook.kube.CaBundleReconciler;
import ai.holysheep.k8s.webhook.kube.CaFileBundle;
import ai.holysheep.k8s.webhook.kube.CachedCaFile;
import ai.holysheep.k8s.webhook.kube.GatewayTlsSecret;
import ai.holysheep.k8s.webhook.kube.SelfSignedCertificates;
import ai.holysheep.k8s.webhook.kube.SelfSignedOptions;
import ai.holysheep.k8s.webhook.tls.CertificateReloader;
import ai.holysheep.k8s.webhook.tls.CertificateSource;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Where the serving certificate and the caBundle come from in each certificate mode: the self-mode
 * Secret, or PEM files (with {@code ca.crt} feeding caBundle in files mode). {@link #sync()} is one
 * blocking step of the refresh loop.
 */
final class Certificates implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Certificates.class.getName());

  private final ServeOptions options;
  private final SelfSignedOptions selfOptions;
  private final KubernetesClient client;
  private final Clock clock;
  private SelfSignedCertificates selfSigned;
  private GatewayTlsSecret gatewayTls;
  private CaFileBundle caFile;
  private CaBundleReconciler reconciler;
  private CertificateSource source;
  private ServingCertificate placeholder;

  Certificates(
      ServeOptions options, SelfSignedOptions selfOptions, KubernetesClient client, Clock clock) {
    this.options = options;
    this.selfOptions = selfOptions;
    this.client = client;
    this.clock = clock;
  }

  /**
   * Sets the mode up; in self mode tries the Secret once (the refresh loop retries).
   *
   * @param runAfter runs a step on the refresh thread after a delay (the caBundle reconcile, when
   *     the webhook configuration changed or a patch backs off)
   */
  void prepare(BiConsumer<Runnable, Duration> runAfter) {
    boolean kube = !options.noKube() && client != null;
    if (options.certMode() == CertMode.SELF) {
      selfSigned = new SelfSignedCertificates(client, selfOptions, clock);
      reconciler = reconciler(selfOptions.webhookConfigName(), runAfter);
      try {
        selfSigned.sync();
      } catch (KubernetesClientException e) {
        LOG.log(
            Level.WARNING,
            "cannot read or create the TLS Secret yet (serving a placeholder certificate and"
                + " retrying every "
                + options.reloadInterval()
                + "): "
                + selfSigned.lastProblem().orElse(e.getMessage()));
      }
      if (options.gateway().url() != null) {
        gatewayTls =
            new GatewayTlsSecret(
                client,
                selfOptions,
                options.gateway().tlsSecret(),
                options.gateway().service(),
                clock);
        gatewayTls.sync(selfSigned);
      }
      source = CertificateSource.of(selfSigned::serving);
      return;
    }
    source = CertificateSource.files(options.tlsCert(), options.tlsKey());
    // certManager: cert-manager's CA injector owns caBundle; a second writer would fight it
    if (kube && options.certMode() == CertMode.FILES) {
      caFile = new CaFileBundle(options.tlsCa());
      reconciler = reconciler(options.webhookConfigName(), runAfter);
    }
  }

  private CaBundleReconciler reconciler(
      String webhookConfigName, BiConsumer<Runnable, Duration> runAfter) {
    CaBundleReconciler created =
        new CaBundleReconciler(client, webhookConfigName, options.replicaId(), clock);
    Runnable reconcile = created::reconcile;
    created.wakeUp(delay -> runAfter.accept(reconcile, delay));
    return created;
  }

  /**
   * The gateway's CA (public) to inline into gateway-mode sidecars: the self mode's own bundle
   * (which signs the gateway's certificate), else the mounted {@code ca.crt} of its Secret.
   */
  Supplier<String> gatewayCa() {
    return selfSigned != null
        ? selfSigned::caBundlePem
        : new CachedCaFile(options.gateway().caFile(), options.reloadInterval(), clock);
  }

  CertificateSource source() {
    return source;
  }

  CaBundleReconciler reconciler() {
    return reconciler;
  }

  /**
   * The certificate to listen with: the real one, or in self mode a placeholder until the Secret is
   * readable. Files that are missing at start are an error (a mounted Secret is there before the
   * container starts; a path typed by hand is wrong).
   */
  ServingCertificate initial() {
    Optional<ServingCertificate> loaded = source.load();
    if (loaded.isPresent()) {
      return loaded.get();
    }
    if (selfSigned != null) {
      placeholder = ServingCertificate.placeholder(clock);
      return placeholder;
    }
    throw new IllegalStateException(
        "no usable TLS certificate: expected PEM files "
            + options.tlsCert()
            + " and "
            + options.tlsKey());
  }

  /** Self mode: the Secret; then the caBundle this mode keeps. Blocking; never throws. */
  void sync() {
    if (selfSigned != null) {
      try {
        selfSigned.sync();
      } catch (KubernetesClientException e) {
        LOG.log(
            Level.WARNING,
            "TLS Secret sync failed (serving the current certificate): "
                + selfSigned.lastProblem().orElse(e.getMessage()));
      }
      if (gatewayTls != null) {
        gatewayTls.sync(selfSigned);
      }
      if (selfSigned.caBundlePem() != null) {
        reconciler.need(selfSigned.caBundlePem());
      }
    } else if (caFile != null) {
      caFile.load().ifPresent(reconciler::need);
    }
    if (reconciler != null) {
      reconciler.ensureWatching();
      reconciler.reconcile();
    }
  }

  /** What readiness waits for about the certificate; empty once the real one is served. */
  Optional<String> waitingFor(CertificateReloader reloader) {
    if (reloader == null) {
      return Optional.of("starting");
    }
    if (placeholder != null && reloader.current() == placeholder) {
      return Optional.of(
          selfSigned.lastProblem().orElse("reading the TLS Secret " + selfOptions.secretName()));
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    if (reconciler != null) {
      reconciler.close();
    }
  }
}
