package ai.holysheep.k8s.webhook.tls;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.CertificateException;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.Pem;
import ai.holysheep.k8s.certs.ServingCertificateRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * A parsed, checked serving certificate: the chain as PEM (leaf first), the key re-encoded as
 * PKCS#8 (so SEC1 or PKCS#1 input works too) and a fingerprint of the pair to tell a reload from a
 * no-op. The key must be the leaf's own (a torn pair is refused, see {@link #parse}).
 */
public record ServingCertificate(String chainPem, String keyPem, X509Certificate leaf) {

  /** Throws {@link CertificateException} naming what is wrong with the PEM input. */
  public static ServingCertificate parse(String chainPem, String keyPem) {
    List<X509Certificate> chain = Pem.decodeCertificates(chainPem);
    PrivateKey key = Pem.decodePrivateKey(keyPem);
    X509Certificate leaf = chain.get(0);
    if (!CertificateChecks.keyMatches(leaf, key)) {
      throw new CertificateException(
          "private key ("
              + key.getAlgorithm()
              + ") does not belong to the certificate "
              + leaf.getSubjectX500Principal().getName()
              + " ("
              + leaf.getPublicKey().getAlgorithm()
              + ", serial "
              + leaf.getSerialNumber().toString(16)
              + "); a half-updated pair is not served");
    }
    return new ServingCertificate(Pem.encodeCertificates(chain), Pem.encodePrivateKey(key), leaf);
  }

  /**
   * SHA-256 over the chain and the key, hex: a reload is keyed on both, so a pair whose key changed
   * (a torn update repaired) is installed although its certificate was seen before.
   */
  public String fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(chainPem.getBytes(StandardCharsets.US_ASCII));
      digest.update(keyPem.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * A certificate nobody trusts, served until the real one is available (self mode while the API
   * server is unreachable at start): the listener answers probes, {@code /readyz} says what is
   * missing, and no admission can succeed because no caBundle holds its CA.
   */
  public static ServingCertificate placeholder(Clock clock) {
    CertificateAuthority ca =
        CertificateAuthority.generate("holysheep-placeholder", Duration.ofDays(1), clock);
    IssuedCertificate issued =
        ca.issue(
            ServingCertificateRequest.forService("placeholder", "none", Duration.ofDays(1))
                .withExtraNames(List.of("localhost"), List.of("127.0.0.1")));
    return parse(issued.certificatePem(), issued.privateKeyPem());
  }

  public Duration remaining(Clock clock) {
    return CertificateChecks.remaining(leaf, clock);
  }
}
