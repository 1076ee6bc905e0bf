package ai.holysheep.k8s.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/** A tiny certificate authority: an ECDSA P-256 CA that issues serving certificates. */
public interface CertificateAuthority {

  /** Generates a new self-signed CA valid from {@code clock}'s now for {@code validity}. */
  static CertificateAuthority generate(String commonName, Duration validity, Clock clock) {
    return BcCertificateAuthority.generate(commonName, validity, clock);
  }

  /** A CA from an existing certificate and its key (e.g. read back from a Secret). */
  static CertificateAuthority of(X509Certificate certificate, PrivateKey key, Clock clock) {
    return new BcCertificateAuthority(certificate, key, clock);
  }

  X509Certificate certificate();

  PrivateKey privateKey();

  default String certificatePem() {
    return Pem.encodeCertificate(certificate());
  }

  default String privateKeyPem() {
    return Pem.encodePrivateKey(privateKey());
  }

  /** Issues a serving certificate (serverAuth) with a fresh P-256 key. */
  IssuedCertificate issue(ServingCertificateRequest request);
}
