package ai.holysheep.k8s.sidecar.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.sidecar.ListenAddress;
import ai.holysheep.k8s.sidecar.Sidecar;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import ai.holysheep.k8s.sidecar.testing.TestPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway listener's certificate over real TLS: protocols, hot reload, bad pairs. */
class GatewayCertificateIT {
  @TempDir Path dir;
  private Vertx vertx;
  private TestPki pki;
  private TestPki.ServingFiles files;
  private Sidecar gateway;
  private GatewayFront front;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    pki = new TestPki();
    files = pki.issue(dir.resolve("tls"), "holysheep-gateway");
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      await(gateway.close());
    }
    await(vertx.close());
  }

  private GatewayOptions options() {
    return GatewayOptions.of(KubeApiOptions.of(URI.create("http://127.0.0.1:1")))
        .withTls(
            new GatewayTlsOptions(
                files.certFile(), files.keyFile(), GatewayTlsOptions.DEFAULT_RELOAD_INTERVAL));
  }

  private void startGateway() throws Exception {
    front = GatewayFront.create(vertx, options());
    gateway =
        await(
            Sidecar.start(
                vertx,
                SidecarOptions.of(HolySheepConfig.defaults())
                    .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
                    .withAdminListen(new ListenAddress("127.0.0.1", 0))
                    .withFront(front)));
  }

  private SSLSession handshake(Set<String> protocols) throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setKeepAlive(false)
                .setEnabledSecureTransportProtocols(protocols)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caPem()))));
    try {
      return await(
          client
              .request(HttpMethod.GET, gateway.proxyPort(), "localhost", "/v1/models")
              .compose(
                  request -> request.send().map(response -> request.connection().sslSession())));
    } finally {
      client.close();
    }
  }

  private static BigInteger serial(SSLSession session) throws Exception {
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void servesTls13AndTls12() throws Exception {
    startGateway();
    assertEquals("TLSv1.3", handshake(Set.of("TLSv1.2", "TLSv1.3")).getProtocol());
    assertEquals("TLSv1.2", handshake(Set.of("TLSv1.2")).getProtocol());
  }

  @Test
  void rotatedFilesAreServedAfterAReloadWithoutARestart() throws Exception {
    startGateway();
    BigInteger before = serial(handshake(GatewayTlsOptions.PROTOCOLS));
    TestPki.ServingFiles rotated = pki.issue(dir.resolve("tls"), "holysheep-gateway");
    assertTrue(await(front.reloadCertificate()));
    assertEquals(
        rotated.issued().certificate().getSerialNumber(),
        serial(handshake(GatewayTlsOptions.PROTOCOLS)));
    assertFalse(before.equals(rotated.issued().certificate().getSerialNumber()));
    assertFalse(await(front.reloadCertificate()), "unchanged files are not applied again");
  }

  @Test
  void aHalfRotatedPairIsNotServedAndTheOldOneStays() throws Exception {
    startGateway();
    BigInteger before = serial(handshake(GatewayTlsOptions.PROTOCOLS));
    Path elsewhere = dir.resolve("other");
    TestPki.ServingFiles other = pki.issue(elsewhere, "holysheep-gateway");
    Files.copy(
        other.certFile(), files.certFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertFalse(await(front.reloadCertificate()));
    assertEquals(before, serial(handshake(GatewayTlsOptions.PROTOCOLS)));
  }

  @Test
  void startingWithAMismatchedPairFailsNamingTheFiles() throws Exception {
    TestPki.ServingFiles other = pki.issue(dir.resolve("other"), "holysheep-gateway");
    Files.copy(other.keyFile(), files.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GatewayFront.create(vertx, options()));
    assertEquals(
        files.keyFile() + " does not belong to the certificate in " + files.certFile(),
        e.getMessage());
  }

  @Test
  void aMissingFileFailsNamingIt() throws Exception {
    Files.delete(files.certFile());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GatewayFront.create(vertx, options()));
    assertTrue(e.getMessage().startsWith("cannot read " + files.certFile()), e.getMessage());
  }

  @Test
  void aSec1EcKeyWithItsCurveAsCertManagerWritesItIsAccepted() throws Exception {
    ECPrivateKey key = (ECPrivateKey) files.issued().privateKey();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey inner =
        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    org.bouncycastle.asn1.sec.ECPrivateKey withCurve =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256, key.getS(), inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
    Files.writeString(files.keyFile(), pem("EC PRIVATE KEY", withCurve.getEncoded()));
    startGateway();
    assertEquals(
        files.issued().certificate().getSerialNumber(),
        serial(handshake(GatewayTlsOptions.PROTOCOLS)));
  }

  @Test
  void aSec1EcKeyWithoutItsCurveIsAcceptedByItsLength() throws Exception {
    StringWriter sec1 = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(sec1)) {
      writer.writeObject(files.issued().privateKey());
    }
    assertTrue(sec1.toString().startsWith("-----BEGIN EC PRIVATE KEY-----"), sec1.toString());
    Files.writeString(files.keyFile(), sec1.toString());
    startGateway();
    assertEquals(
        files.issued().certificate().getSerialNumber(),
        serial(handshake(GatewayTlsOptions.PROTOCOLS)));
  }

  @Test
  void aBrokenSec1KeyFailsNamingTheFile() throws Exception {
    Files.writeString(
        files.keyFile(), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GatewayFront.create(vertx, options()));
    assertTrue(e.getMessage().startsWith(files.keyFile() + ": EC PRIVATE KEY"), e.getMessage());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
