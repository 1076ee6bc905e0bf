package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.Pem;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code self}-mode Secret holds: the signing CA, the trusted bundle (old and new CA
 * during a rotation), the serving certificate, and when a new CA was staged (null when none is
 * pending).
 */
record TlsSecretState(
    CertificateAuthority ca,
    List<X509Certificate> bundle,
    ServingCertificate serving,
    Instant caStagedAt) {
  static final String CA_CRT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final String CA_BUNDLE = "ca-bundle.crt";
  static final String TLS_CRT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String STAGED_ANNOTATION = "holysheep.ai/ca-staged-at";

  TlsSecretState {
    bundle = List.copyOf(bundle);
  }

  /** Throws when a key is missing or unreadable: the caller then replaces the Secret's content. */
  static TlsSecretState read(Secret secret, Clock clock) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    CertificateAuthority ca =
        CertificateAuthority.of(
            Pem.decodeCertificate(text(data, CA_CRT)),
            Pem.decodePrivateKey(text(data, CA_KEY)),
            clock);
    List<X509Certificate> bundle =
        data.containsKey(CA_BUNDLE)
            ? Pem.decodeCertificates(text(data, CA_BUNDLE))
            : List.of(ca.certificate());
    ServingCertificate serving = ServingCertificate.parse(text(data, TLS_CRT), text(data, TLS_KEY));
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    String staged = annotations == null ? null : annotations.get(STAGED_ANNOTATION);
    return new TlsSecretState(ca, bundle, serving, staged == null ? null : Instant.parse(staged));
  }

  Map<String, String> data() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CA_CRT, base64(ca.certificatePem()));
    data.put(CA_KEY, base64(ca.privateKeyPem()));
    data.put(CA_BUNDLE, base64(bundlePem()));
    data.put(TLS_CRT, base64(serving.chainPem()));
    data.put(TLS_KEY, base64(serving.keyPem()));
    return data;
  }

  String bundlePem() {
    return Pem.encodeCertificates(bundle);
  }

  private static String text(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalStateException("Secret has no " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
