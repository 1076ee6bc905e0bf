package ai.holysheep.k8s.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

class PemTest {
  private final Clock clock = Clock.systemUTC();

  @Test
  void certificateAndPkcs8KeySurviveARoundTrip() {
    CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(1), clock);
    IssuedCertificate issued =
        ca.issue(ServingCertificateRequest.forService("s", "n", Duration.ofHours(1)));

    assertTrue(issued.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertEquals(issued.certificate(), Pem.decodeCertificate(issued.certificatePem()));
    assertArrayEquals(
        issued.privateKey().getEncoded(),
        Pem.decodePrivateKey(issued.privateKeyPem()).getEncoded());
  }

  @Test
  void bundleDecodesEveryCertificateInOrder() {
    CertificateAuthority a = CertificateAuthority.generate("a", Duration.ofDays(1), clock);
    CertificateAuthority b = CertificateAuthority.generate("b", Duration.ofDays(1), clock);
    String bundle = Pem.encodeCertificates(List.of(a.certificate(), b.certificate()));
    assertEquals(List.of(a.certificate(), b.certificate()), Pem.decodeCertificates(bundle));
  }

  @Test
  void sec1EcKeyAsWrittenByOpensslIsAccepted() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(1), clock);
    // SEC1 as openssl writes it: the curve OID in the parameters field, no PKCS#8 wrapper
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(ca.privateKey().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), SECObjectIdentifiers.secp256r1);
    StringWriter sec1 = new StringWriter();
    try (PemWriter writer = new PemWriter(sec1)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
    }
    assertTrue(sec1.toString().contains("BEGIN EC PRIVATE KEY"), sec1.toString());
    var decoded = (java.security.interfaces.ECPrivateKey) Pem.decodePrivateKey(sec1.toString());
    assertEquals(((java.security.interfaces.ECPrivateKey) ca.privateKey()).getS(), decoded.getS());
  }

  @Test
  void textWithoutPemBlocksIsRejectedClearly() {
    CertificateException cert =
        assertThrows(CertificateException.class, () -> Pem.decodeCertificates("not a pem"));
    assertTrue(cert.getMessage().contains("BEGIN CERTIFICATE"), cert.getMessage());
    CertificateException key =
        assertThrows(CertificateException.class, () -> Pem.decodePrivateKey("nothing here"));
    assertTrue(key.getMessage().contains("no PEM private key"), key.getMessage());
  }
}
