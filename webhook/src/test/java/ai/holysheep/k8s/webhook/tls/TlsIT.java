package ai.holysheep.k8s.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.ServiceNames;
import ai.holysheep.k8s.webhook.cli.Webhook;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's TLS: SANs, protocol versions, and files-mode reload through a Kubernetes-style
 * {@code ..data} symlink swap.
 */
class TlsIT {
  @TempDir static Path root;
  static Vertx vertx;
  static TestPki pki;
  static Webhook webhook;
  static IssuedCertificate first;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pki = new TestPki();
    first = pki.issue();
    // the layout kubelet uses for a mounted Secret: tls.crt -> ..data/tls.crt, ..data -> ..v1
    Path v1 = root.resolve("..v1");
    TestPki.write(v1, first);
    Files.createSymbolicLink(root.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(root.resolve("tls.crt"), Path.of("..data", "tls.crt"));
    Files.createSymbolicLink(root.resolve("tls.key"), Path.of("..data", "tls.key"));
    webhook =
        TestWebhooks.startFilesMode(
            vertx, root, JsonNodeFactory.instance.objectNode(), null, "--reload-interval", "1h");
  }

  @AfterAll
  static void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void servedCertificateVerifiesAgainstTheCaForEveryServiceName() throws Exception {
    for (String name : ServiceNames.dnsNames(TestPki.SERVICE, TestPki.NAMESPACE)) {
      X509Certificate served = TlsProbe.handshake(pki.trustingOnlyCa(), webhook.port(), name);
      assertTrue(CertificateChecks.isSignedBy(served, pki.ca().certificate()), name);
    }
  }

  @Test
  void nameOutsideTheSansIsRejected() {
    assertThrows(
        SSLException.class,
        () -> TlsProbe.handshake(pki.trustingOnlyCa(), webhook.port(), "evil.example.com"));
  }

  @Test
  void clientTrustingAnotherCaIsRejected() {
    TestPki other = new TestPki();
    assertThrows(
        SSLException.class,
        () -> TlsProbe.handshake(other.trustingOnlyCa(), webhook.port(), "127.0.0.1"));
  }

  @Test
  void tls10And11AreRefusedWhileTls12IsAccepted() throws Exception {
    assertEquals(
        (0x16 << 16) | TlsProbe.TLS_1_2, TlsProbe.helloWith(webhook.port(), TlsProbe.TLS_1_2));
    int tls10 = TlsProbe.helloWith(webhook.port(), TlsProbe.TLS_1_0);
    int tls11 = TlsProbe.helloWith(webhook.port(), TlsProbe.TLS_1_1);
    assertTrue(tls10 == 0x15 || tls10 == -1, "TLS 1.0 answered with " + Integer.toHexString(tls10));
    assertTrue(tls11 == 0x15 || tls11 == -1, "TLS 1.1 answered with " + Integer.toHexString(tls11));
  }

  @Test
  void replacedSecretFilesAreServedAfterAReloadTickWithoutRestart() throws Exception {
    int port = webhook.port();
    X509Certificate before = TlsProbe.handshake(pki.trustingOnlyCa(), port, "127.0.0.1");
    IssuedCertificate second = pki.issue();
    Path v2 = root.resolve("..v2");
    TestPki.write(v2, second);
    swapData(v2);

    boolean changed =
        webhook
            .refreshCertificate()
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);

    assertTrue(changed);
    X509Certificate after = TlsProbe.handshake(pki.trustingOnlyCa(), port, "127.0.0.1");
    assertEquals(second.certificate(), after);
    assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
    assertEquals(port, webhook.port());
    boolean again =
        webhook
            .refreshCertificate()
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertTrue(!again, "an unchanged file is not a reload");
  }

  /**
   * A rotated Secret whose {@code tls.crt} lands a tick before its {@code tls.key} (kubelet, or a
   * tool writing the files one by one): the torn pair is never served, and the complete one is
   * picked up at the next tick although the certificate itself did not change between the ticks.
   */
  @Test
  void tornPairIsNotServedAndIsRepairedAtTheNextTick() throws Exception {
    int port = webhook.port();
    X509Certificate before = TlsProbe.handshake(pki.trustingOnlyCa(), port, "127.0.0.1");
    IssuedCertificate next = pki.issue();
    Path torn = root.resolve("..torn");
    Files.createDirectories(torn);
    Files.writeString(torn.resolve("tls.crt"), next.certificatePem());
    Files.copy(root.resolve("..data").resolve("tls.key"), torn.resolve("tls.key"));
    swapData(torn);

    assertTrue(!reload(), "a certificate with another certificate's key is not loaded");
    assertEquals(before, TlsProbe.handshake(pki.trustingOnlyCa(), port, "127.0.0.1"));

    Files.writeString(torn.resolve("tls.key"), next.privateKeyPem());
    assertTrue(reload(), "the pair is complete now, with the certificate seen a tick earlier");
    assertEquals(next.certificate(), TlsProbe.handshake(pki.trustingOnlyCa(), port, "127.0.0.1"));
  }

  private static boolean reload() throws Exception {
    return webhook
        .refreshCertificate()
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  private static void swapData(Path version) throws Exception {
    Path tmp = root.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, version.getFileName());
    Files.move(tmp, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }
}
