package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.ServingCertificateRequest;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsUpstreamIT {
  @TempDir Path dir;
  private ProxyTestBed bed;
  private Simulator tlsSim;
  private Path caFile;

  @BeforeEach
  void setUp() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.generate("holysheep-test-ca", Duration.ofDays(1), Clock.systemUTC());
    IssuedCertificate cert =
        ca.issue(
            new ServingCertificateRequest(
                List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1)));
    Path certFile = Files.writeString(dir.resolve("tls.crt"), cert.certificatePem());
    Path keyFile = Files.writeString(dir.resolve("tls.key"), cert.privateKeyPem());
    caFile = Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
    bed = new ProxyTestBed();
    tlsSim = bed.sim(SimulatorOptions.named("tls-sim").withTls(certFile, keyFile));
  }

  @AfterEach
  void tearDown() {
    bed.close();
  }

  @Test
  void anUpstreamSignedByTheConfiguredCaWorks() {
    assertTrue(tlsSim.baseUrl().startsWith("https://127.0.0.1:"));
    bed.start(ProxyTestBed.config(tlsSim.baseUrl()).put("caFile", caFile.toString()));
    Answer json = bed.chat();
    assertEquals(200, json.status());
    assertEquals("tls-sim", json.header("x-sim-name"));
    Answer stream = bed.chat(true);
    assertTrue(stream.text().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void anUntrustedCertificateIsRefusedAndCountedAsAFailure() {
    Simulator plain = bed.sim("plain-fallback");
    bed.start(ProxyTestBed.config(tlsSim.baseUrl(), plain.baseUrl()));
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream(), "the untrusted primary was skipped");
    assertEquals(0, tlsSim.requestCount());
    String metrics = bed.admin("/metrics").text();
    assertTrue(
        metrics.contains(
            "holysheep_upstream_attempts_total{result=\"tls_error\",upstream=\"primary\"} 1.0"),
        metrics);
  }
}
