package ai.holysheep.k8s.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CertificateChecksTest {
  private static final Instant ISSUED = Instant.parse("2025-01-01T00:00:00Z");

  private static X509Certificate certValidFor(Duration validity) {
    Clock at = Clock.fixed(ISSUED, ZoneOffset.UTC);
    return CertificateAuthority.generate("ca", Duration.ofDays(3650), at)
        .issue(ServingCertificateRequest.forService("s", "n", validity))
        .certificate();
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void renewsOnlyOnceInsideTheRenewBeforeWindow() {
    X509Certificate cert = certValidFor(Duration.ofDays(365));
    Duration renewBefore = Duration.ofDays(30);
    Instant notAfter = ISSUED.plus(Duration.ofDays(365));

    assertFalse(CertificateChecks.needsRenewal(cert, renewBefore, at(ISSUED)));
    assertFalse(
        CertificateChecks.needsRenewal(cert, renewBefore, at(notAfter.minus(Duration.ofDays(31)))));
    assertTrue(
        CertificateChecks.needsRenewal(cert, renewBefore, at(notAfter.minus(Duration.ofDays(30)))));
    assertTrue(CertificateChecks.needsRenewal(cert, renewBefore, at(notAfter.plusSeconds(1))));
  }

  @Test
  void renewBeforeLongerThanTheLifetimeIsCappedAtAThird() {
    X509Certificate cert = certValidFor(Duration.ofHours(3));
    // lifetime is 3h + 5min skew allowance; a third of that is 61m40s
    assertFalse(
        CertificateChecks.needsRenewal(
            cert, Duration.ofDays(30), at(ISSUED.plus(Duration.ofMinutes(118)))));
    assertTrue(
        CertificateChecks.needsRenewal(
            cert, Duration.ofDays(30), at(ISSUED.plus(Duration.ofMinutes(120)))));
  }

  @Test
  void certificateNotYetValidNeedsRenewal() {
    X509Certificate cert = certValidFor(Duration.ofDays(1));
    Clock before = at(ISSUED.minus(Duration.ofHours(1)));
    assertFalse(CertificateChecks.isValidAt(cert, before));
    assertTrue(CertificateChecks.needsRenewal(cert, Duration.ofHours(1), before));
  }

  @Test
  void remainingCountsDownToNotAfterAndGoesNegative() {
    X509Certificate cert = certValidFor(Duration.ofDays(1));
    assertEquals(
        Duration.ofHours(23), CertificateChecks.remaining(cert, at(ISSUED.plusSeconds(3600))));
    assertTrue(CertificateChecks.remaining(cert, at(ISSUED.plus(Duration.ofDays(2)))).isNegative());
  }

  @Test
  void keyMatchesOnlyTheCertificateItWasIssuedWith() {
    CertificateAuthority ca = CertificateAuthority.generate("ca", Duration.ofDays(1), at(ISSUED));
    IssuedCertificate one =
        ca.issue(ServingCertificateRequest.forService("s", "n", Duration.ofHours(1)));
    IssuedCertificate two =
        ca.issue(ServingCertificateRequest.forService("s", "n", Duration.ofHours(1)));

    assertTrue(CertificateChecks.keyMatches(one.certificate(), one.privateKey()));
    assertFalse(
        CertificateChecks.keyMatches(one.certificate(), two.privateKey()),
        "same algorithm and curve, another key: a torn pair");
    assertFalse(CertificateChecks.keyMatches(ca.certificate(), one.privateKey()));
  }
}
