package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateChecks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenewalPlanTest {
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  final SelfSignedOptions options =
      SelfSignedOptions.defaults("hs")
          .withLifetimes(
              Duration.ofDays(100),
              Duration.ofDays(10),
              Duration.ofDays(20),
              Duration.ofDays(2),
              Duration.ofMinutes(10));
  final RenewalPlan plan = new RenewalPlan(options, clock);

  @Test
  void freshStateIsLeftAloneUntilTheServingRenewWindow() {
    TlsSecretState state = plan.fresh();
    assertTrue(plan.next(state).isEmpty());
    clock.advance(Duration.ofDays(7));
    assertTrue(plan.next(state).isEmpty());
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    TlsSecretState renewed = plan.next(state).orElseThrow();
    assertEquals(state.ca().certificate(), renewed.ca().certificate());
    assertNotEquals(state.serving().fingerprint(), renewed.serving().fingerprint());
    assertNull(renewed.caStagedAt());
  }

  @Test
  void caRotationStagesFirstThenSwitchesAfterTheDelay() {
    TlsSecretState state = plan.fresh();
    clock.advance(Duration.ofDays(81));

    TlsSecretState staged = plan.next(state).orElseThrow();
    assertNotEquals(state.ca().certificate(), staged.ca().certificate());
    assertEquals(List.of(state.ca().certificate(), staged.ca().certificate()), staged.bundle());
    assertEquals(clock.instant(), staged.caStagedAt());
    assertTrue(
        CertificateChecks.isSignedBy(staged.serving().leaf(), state.ca().certificate()),
        "while staged, the served certificate is still from the old CA");

    clock.advance(Duration.ofMinutes(9));
    assertTrue(plan.next(staged).isEmpty(), "waits for the stage delay");

    clock.advance(Duration.ofMinutes(2));
    TlsSecretState switched = plan.next(staged).orElseThrow();
    assertTrue(CertificateChecks.isSignedBy(switched.serving().leaf(), staged.ca().certificate()));
    assertEquals(staged.bundle(), switched.bundle());
    assertNull(switched.caStagedAt());
    assertTrue(plan.next(switched).isEmpty());
  }

  @Test
  void servingCertificateMissingAServiceNameIsReissued() {
    TlsSecretState state = plan.fresh();
    RenewalPlan renamed = new RenewalPlan(options.withNames("other-svc", "s", "w"), clock);
    TlsSecretState next = renamed.next(state).orElseThrow();
    assertNotNull(next.serving());
    assertNotEquals(state.serving().fingerprint(), next.serving().fingerprint());
  }

  @Test
  void servingCertificateNeverOutlivesItsCa() {
    RenewalPlan longServing =
        new RenewalPlan(
            options.withLifetimes(
                Duration.ofDays(5),
                Duration.ofDays(365),
                Duration.ofDays(1),
                Duration.ofHours(1),
                Duration.ofMinutes(1)),
            clock);
    TlsSecretState state = longServing.fresh();
    assertEquals(state.ca().certificate().getNotAfter(), state.serving().leaf().getNotAfter());
  }
}
