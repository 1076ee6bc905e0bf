package ai.holysheep.k8s.webhook.tls;

import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.CertificateException;
import ai.holysheep.k8s.certs.Pem;
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
 * PKCS#8 (so SEC1 or PKCS#1 input works too) and a fingerprint to tell a reload from a no-op.
 */
public record ServingCertificate(String chainPem, String keyPem, X509Certificate leaf) {

  /** Throws {@link CertificateException} naming what is wrong with the PEM input. */
  public static ServingCertificate parse(String chainPem, String keyPem) {
    List<X509Certificate> chain = Pem.decodeCertificates(chainPem);
    PrivateKey key = Pem.decodePrivateKey(keyPem);
    X509Certificate leaf = chain.get(0);
    if (!leaf.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new CertificateException(
          "private key ("
              + key.getAlgorithm()
              + ") does not belong to the certificate ("
              + leaf.getPublicKey().getAlgorithm()
              + ")");
    }
    return new ServingCertificate(Pem.encodeCertificates(chain), Pem.encodePrivateKey(key), leaf);
  }

  /** SHA-256 of the leaf certificate, hex. */
  public String fingerprint() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
    } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public Duration remaining(Clock clock) {
    return CertificateChecks.remaining(leaf, clock);
  }
}
