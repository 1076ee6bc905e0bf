package ai.holysheep.k8s.webhook.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdmissionOutcomeTest {
  @Test
  void skipMessagesMapToABoundedReasonSet() {
    assertEquals(
        "opted-out",
        AdmissionOutcome.skipped("opted out with holysheep.ai/inject: \"false\"").reason());
    assertEquals(
        "not-opted-in",
        AdmissionOutcome.skipped("not opted in: per-pod injection needs …").reason());
    assertEquals(
        "host-network",
        AdmissionOutcome.skipped("hostNetwork pods share the node's localhost").reason());
    assertEquals("windows", AdmissionOutcome.skipped("Windows pods are not supported").reason());
    assertEquals(
        "mirror-pod", AdmissionOutcome.skipped("mirror (static) pods cannot be changed").reason());
    assertEquals("other", AdmissionOutcome.skipped("pod name my-very-unique-pod-123").reason());
  }

  @Test
  void injectedReasonTellsNativeFromLegacy() {
    assertEquals(new AdmissionOutcome("injected", "native"), AdmissionOutcome.injected(true));
    assertEquals(new AdmissionOutcome("injected", "legacy"), AdmissionOutcome.injected(false));
  }
}
