package ai.holysheep.k8s.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void servingCertificateChainsToTheCaUnderPkixValidation() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate("test-ca", Duration.ofDays(10), clock);
    IssuedCertificate issued =
        ca.issue(ServingCertificateRequest.forService("injector", "system", Duration.ofDays(1)));

    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW));
    var path =
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(issued.certificate()));
    CertPathValidator.getInstance("PKIX").validate(path, params);

    assertTrue(CertificateChecks.isSignedBy(issued.certificate(), ca.certificate()));
    assertEquals("EC", issued.privateKey().getAlgorithm());
    assertEquals(0, ca.certificate().getBasicConstraints());
    assertEquals(-1, issued.certificate().getBasicConstraints());
    assertTrue(issued.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));
  }

  @Test
  void certificateFromAnotherCaDoesNotVerify() {
    CertificateAuthority ca = CertificateAuthority.generate("a", Duration.ofDays(10), clock);
    CertificateAuthority other = CertificateAuthority.generate("b", Duration.ofDays(10), clock);
    IssuedCertificate issued =
        ca.issue(ServingCertificateRequest.forService("svc", "ns", Duration.ofDays(1)));
    assertFalse(CertificateChecks.isSignedBy(issued.certificate(), other.certificate()));
  }

  @Test
  void servingCertificateNamesEveryServiceDnsFormAndExtraIp() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(10), clock);
    IssuedCertificate issued =
        ca.issue(
            ServingCertificateRequest.forService("holysheep-injector", "hs", Duration.ofDays(1))
                .withExtraNames(List.of("localhost"), List.of("127.0.0.1")));

    Set<String> sans =
        issued.certificate().getSubjectAlternativeNames().stream()
            .map(entry -> entry.get(0) + ":" + entry.get(1))
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "2:holysheep-injector",
            "2:holysheep-injector.hs",
            "2:holysheep-injector.hs.svc",
            "2:holysheep-injector.hs.svc.cluster.local",
            "2:localhost",
            "7:127.0.0.1"),
        sans);
  }

  @Test
  void validityWindowFollowsTheInjectedClockWithSkewAllowance() {
    CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(10), clock);
    X509Certificate cert =
        ca.issue(ServingCertificateRequest.forService("s", "n", Duration.ofDays(2))).certificate();
    assertEquals(NOW.plus(Duration.ofDays(2)), cert.getNotAfter().toInstant());
    assertEquals(
        NOW.minus(CertificateDefaults.CLOCK_SKEW_ALLOWANCE), cert.getNotBefore().toInstant());
  }

  @Test
  void caRebuiltFromPemIssuesCertificatesThatVerifyAgainstTheOriginal() {
    CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(10), clock);
    CertificateAuthority reloaded =
        CertificateAuthority.of(
            Pem.decodeCertificate(ca.certificatePem()),
            Pem.decodePrivateKey(ca.privateKeyPem()),
            clock);
    IssuedCertificate issued =
        reloaded.issue(ServingCertificateRequest.forService("s", "n", Duration.ofDays(1)));
    assertTrue(CertificateChecks.isSignedBy(issued.certificate(), ca.certificate()));
  }

  @Test
  void invalidServiceNameIsRejectedWithTheFieldAndValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServiceNames.dnsNames("Bad_Name", "ns"));
    assertTrue(
        e.getMessage().startsWith("service: \"Bad_Name\" is not a DNS label"), e.getMessage());
  }
}
