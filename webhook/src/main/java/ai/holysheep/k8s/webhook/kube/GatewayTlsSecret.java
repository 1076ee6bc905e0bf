package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.Pem;
import ai.holysheep.k8s.certs.ServingCertificateRequest;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's serving certificate in the {@code self} mode: a {@code kubernetes.io/tls} Secret
 * ({@code tls.crt}, {@code tls.key}, {@code ca.crt} = the webhook's CA bundle) issued from the
 * webhook's own CA for the gateway Service's DNS names, which the gateway mounts and reloads.
 * Reissued when it nears expiry, when its names change, or once a rotated CA has finished staging
 * (the moment the webhook switches its own certificate). Racing replicas: create-if-absent and
 * updates with the read {@code resourceVersion}; a 409 is left to the next tick.
 */
public final class GatewayTlsSecret {
  private static final System.Logger LOG = System.getLogger(GatewayTlsSecret.class.getName());
  static final String TLS_CRT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String CA_CRT = "ca.crt";

  private final KubernetesClient client;
  private final SelfSignedOptions options;
  private final String secretName;
  private final String serviceName;
  private final Clock clock;

  /**
   * @param options the webhook's self-mode options (namespace, lifetimes)
   */
  public GatewayTlsSecret(
      KubernetesClient client,
      SelfSignedOptions options,
      String secretName,
      String serviceName,
      Clock clock) {
    this.client = client;
    this.options = options;
    this.secretName = secretName;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  /**
   * Creates or renews the Secret from the authority's current CA; blocking. Never throws: a failure
   * (RBAC, API outage) is logged and retried on the next tick, and never holds up the webhook.
   */
  public void sync(SelfSignedCertificates authority) {
    TlsSecretState state = authority.state();
    if (state == null) {
      return;
    }
    try {
      Secret existing =
          client.secrets().inNamespace(options.namespace()).withName(secretName).get();
      if (existing == null) {
        client
            .secrets()
            .inNamespace(options.namespace())
            .resource(secret(null, issue(state), state))
            .create();
        LOG.log(Level.INFO, "created Secret " + secretName + " for the gateway");
        return;
      }
      Map<String, String> next = next(existing, state);
      if (next != null) {
        client
            .secrets()
            .inNamespace(options.namespace())
            .resource(secret(existing, next, state))
            .update();
        LOG.log(Level.INFO, "updated Secret " + secretName + " of the gateway");
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        LOG.log(Level.DEBUG, "Secret " + secretName + " changed concurrently; next tick decides");
      } else {
        LOG.log(
            Level.WARNING,
            "cannot write the gateway's Secret " + secretName + " (retrying): " + e.getMessage());
      }
    }
  }

  /**
   * The new certificate data, or null when the Secret is fine (a changed CA bundle alone only
   * rewrites ca.crt).
   */
  private Map<String, String> next(Secret existing, TlsSecretState state) {
    Map<String, String> data = existing.getData() == null ? Map.of() : existing.getData();
    X509Certificate leaf;
    try {
      leaf = Pem.decodeCertificate(text(data.get(TLS_CRT)));
      Pem.decodePrivateKey(text(data.get(TLS_KEY)));
    } catch (RuntimeException unreadable) {
      return issue(state);
    }
    boolean caSwitched =
        state.caStagedAt() == null && !CertificateChecks.isSignedBy(leaf, state.ca().certificate());
    if (caSwitched
        || CertificateChecks.needsRenewal(leaf, options.servingRenewBefore(), clock)
        || !RenewalPlan.names(leaf).containsAll(request().dnsNames())) {
      return issue(state);
    }
    if (!state.bundlePem().equals(text(data.get(CA_CRT)))) {
      Map<String, String> rebundled = new LinkedHashMap<>(data);
      rebundled.put(CA_CRT, base64(state.bundlePem()));
      return rebundled;
    }
    return null;
  }

  private Map<String, String> issue(TlsSecretState state) {
    ServingCertificateRequest request = request();
    Duration caLeft = CertificateChecks.remaining(state.ca().certificate(), clock);
    if (caLeft.compareTo(request.validity()) < 0) {
      request = new ServingCertificateRequest(request.dnsNames(), request.ipAddresses(), caLeft);
    }
    IssuedCertificate issued = state.ca().issue(request);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TLS_CRT, base64(issued.certificatePem()));
    data.put(TLS_KEY, base64(issued.privateKeyPem()));
    data.put(CA_CRT, base64(state.bundlePem()));
    return data;
  }

  private ServingCertificateRequest request() {
    return ServingCertificateRequest.forService(
        serviceName, options.namespace(), options.servingValidity());
  }

  private Secret secret(Secret existing, Map<String, String> data, TlsSecretState state) {
    SecretBuilder builder =
        existing == null
            ? new SecretBuilder()
                .withNewMetadata()
                .withName(secretName)
                .withNamespace(options.namespace())
                .addToLabels("app.kubernetes.io/managed-by", "holysheep-injector")
                .addToLabels("app.kubernetes.io/component", "gateway")
                .endMetadata()
                .withType("kubernetes.io/tls")
            : new SecretBuilder(existing);
    return builder.withData(data).withStringData(null).build();
  }

  private static String text(String base64) {
    if (base64 == null) {
      throw new IllegalStateException("missing");
    }
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
