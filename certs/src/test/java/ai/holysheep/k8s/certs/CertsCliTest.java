package ai.holysheep.k8s.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCliTest {
  private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CertsCli.run(
        args,
        Clock.fixed(NOW, ZoneOffset.UTC),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void writesCaServingCertAndKeyThatBelongTogether(@TempDir Path dir) throws Exception {
    Path outDir = dir.resolve("tls");
    int code =
        run(
            "--service",
            "holysheep-injector",
            "--namespace",
            "hs",
            "--out",
            outDir.toString(),
            "--validity",
            "90d",
            "--ip",
            "127.0.0.1");

    assertEquals(0, code, err.toString());
    X509Certificate ca = Pem.decodeCertificate(Files.readString(outDir.resolve("ca.crt")));
    X509Certificate tls = Pem.decodeCertificate(Files.readString(outDir.resolve("tls.crt")));
    var key = Pem.decodePrivateKey(Files.readString(outDir.resolve("tls.key")));
    assertTrue(CertificateChecks.isSignedBy(tls, ca));
    assertEquals(NOW.plus(Duration.ofDays(90)), tls.getNotAfter().toInstant());
    assertTrue(
        tls.getSubjectAlternativeNames().stream()
            .anyMatch(n -> n.get(1).equals("holysheep-injector.hs.svc.cluster.local")));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(outDir.resolve("tls.key"))));
    // the key matches the certificate: sign with it, verify with the certificate's public key
    var signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    var verifier = java.security.Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(tls.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature));
  }

  @Test
  void missingNamespaceExitsTwoWithUsageAndWritesNothing(@TempDir Path dir) {
    int code = run("--service", "svc", "--out", dir.resolve("x").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("--service, --namespace and --out are required"));
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void badValidityNamesTheFlagAndTheValue(@TempDir Path dir) {
    int code =
        run("--service", "s", "--namespace", "n", "--out", dir.toString(), "--validity", "1 year");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--validity: \"1 year\" is not a duration"), err.toString());
  }
}
