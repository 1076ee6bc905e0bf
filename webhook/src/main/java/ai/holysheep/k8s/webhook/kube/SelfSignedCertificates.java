package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code self} certificate mode: every replica converges on one Secret. Creation is
 * create-if-absent (a 409 means another replica won: read theirs); every change is an update with
 * the read {@code resourceVersion} as precondition (a 409 means someone else changed it: read again
 * and decide again). A Secret deleted while replicas run is recreated from the CA, bundle and
 * serving certificate this replica holds, so clients that trust the current bundle never see a CA
 * they do not know; only a replica that holds nothing (first start) makes a new CA. {@link #sync()}
 * is blocking; run it off the event loop.
 */
public final class SelfSignedCertificates {
  static final int MAX_ATTEMPTS = 5;
  private static final System.Logger LOG = System.getLogger(SelfSignedCertificates.class.getName());

  private final KubernetesClient client;
  private final SelfSignedOptions options;
  private final Clock clock;
  private final RenewalPlan plan;
  private final AtomicReference<TlsSecretState> current = new AtomicReference<>();
  private final AtomicReference<String> lastProblem = new AtomicReference<>();

  public SelfSignedCertificates(KubernetesClient client, SelfSignedOptions options, Clock clock) {
    this.client = client;
    this.options = options;
    this.clock = clock;
    this.plan = new RenewalPlan(options, clock);
  }

  /** The serving certificate from the last successful sync. */
  public Optional<ServingCertificate> serving() {
    return Optional.ofNullable(current.get()).map(TlsSecretState::serving);
  }

  /** Why the last sync failed; empty after a successful one. */
  public Optional<String> lastProblem() {
    return Optional.ofNullable(lastProblem.get());
  }

  /** The CA, bundle and serving certificate of the last successful sync; null before it. */
  TlsSecretState state() {
    return current.get();
  }

  /** PEM bundle every webhook entry's caBundle must hold; null before the first sync. */
  public String caBundlePem() {
    TlsSecretState state = current.get();
    return state == null ? null : state.bundlePem();
  }

  /** Reads the Secret, creates or renews it if needed, and remembers what it holds. */
  public ServingCertificate sync() {
    try {
      ServingCertificate serving = syncWithRetries();
      lastProblem.set(null);
      return serving;
    } catch (KubernetesClientException e) {
      lastProblem.set(
          "Secret "
              + options.namespace()
              + "/"
              + options.secretName()
              + ": "
              + (e.getCode() > 0 ? "API server answered " + e.getCode() : "API server unreachable")
              + " ("
              + firstLine(e.getMessage())
              + ")");
      throw e;
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private ServingCertificate syncWithRetries() {
    KubernetesClientException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        TlsSecretState state = syncOnce();
        current.set(state);
        return state.serving();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        LOG.log(
            Level.DEBUG, "Secret " + options.secretName() + " changed concurrently; re-reading");
        last = e;
      }
    }
    throw last;
  }

  private TlsSecretState syncOnce() {
    Resource<Secret> resource =
        client.secrets().inNamespace(options.namespace()).withName(options.secretName());
    Secret existing = resource.get();
    if (existing == null) {
      TlsSecretState held = current.get();
      TlsSecretState recreated = held == null ? plan.fresh() : plan.next(held).orElse(held);
      client.secrets().inNamespace(options.namespace()).resource(secret(null, recreated)).create();
      LOG.log(
          Level.INFO,
          held == null
              ? "created Secret " + options.secretName() + " with a new CA"
              : "Secret "
                  + options.secretName()
                  + " was deleted; recreated it from the CA this replica holds");
      return recreated;
    }
    TlsSecretState state;
    try {
      state = TlsSecretState.read(existing, clock);
    } catch (RuntimeException unreadable) {
      LOG.log(
          Level.WARNING,
          "Secret "
              + options.secretName()
              + " is unusable ("
              + unreadable.getMessage()
              + "); replacing its content");
      return update(existing, plan.fresh());
    }
    Optional<TlsSecretState> next = plan.next(state);
    return next.isPresent() ? update(existing, next.get()) : state;
  }

  private TlsSecretState update(Secret existing, TlsSecretState next) {
    client.secrets().inNamespace(options.namespace()).resource(secret(existing, next)).update();
    LOG.log(
        Level.INFO,
        "updated Secret "
            + options.secretName()
            + (next.caStagedAt() != null ? ": new CA staged" : ": serving certificate issued"));
    return next;
  }

  /** Keeps the read resourceVersion, so a concurrent change makes this write fail with 409. */
  private Secret secret(Secret existing, TlsSecretState state) {
    SecretBuilder builder =
        existing == null
            ? new SecretBuilder()
                .withNewMetadata()
                .withName(options.secretName())
                .withNamespace(options.namespace())
                .addToLabels("app.kubernetes.io/managed-by", "holysheep-injector")
                .endMetadata()
                .withType("Opaque")
            : new SecretBuilder(existing);
    builder.editMetadata().removeFromAnnotations(TlsSecretState.STAGED_ANNOTATION).endMetadata();
    if (state.caStagedAt() != null) {
      builder
          .editMetadata()
          .addToAnnotations(TlsSecretState.STAGED_ANNOTATION, state.caStagedAt().toString())
          .endMetadata();
    }
    return builder.withData(state.data()).withStringData(null).build();
  }
}
