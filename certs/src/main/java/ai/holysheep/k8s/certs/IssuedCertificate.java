package ai.holysheep.k8s.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key and the CA certificate that signed it. */
public record IssuedCertificate(
    X509Certificate certificate, PrivateKey privateKey, X509Certificate caCertificate) {

  public String certificatePem() {
    return Pem.encodeCertificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.encodePrivateKey(privateKey);
  }

  public String caCertificatePem() {
    return Pem.encodeCertificate(caCertificate);
  }
}
