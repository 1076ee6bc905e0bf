package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.Pem;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** caBundle as a set shared by replicas: {@link CaBundlePlan} applied the way replicas would. */
class CaBundlePlanTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final Duration TTL = Duration.ofMinutes(10);
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static final X509Certificate OLD = ca("old", Duration.ofDays(3650));
  static final X509Certificate NEW = ca("new", Duration.ofDays(3650));

  static X509Certificate ca(String name, Duration validity) {
    return CertificateAuthority.generate(
            name, validity, Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC))
        .certificate();
  }

  static MutatingWebhookConfiguration config(String caBundlePem) {
    MutatingWebhookConfigurationBuilder builder =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName("holysheep-injector")
            .withResourceVersion("1")
            .endMetadata();
    for (String entry : List.of("namespace", "pod")) {
      builder
          .addNewWebhook()
          .withName(entry + ".holysheep.ai")
          .withNewClientConfig()
          .withCaBundle(caBundlePem == null ? null : base64(caBundlePem))
          .endClientConfig()
          .endWebhook();
    }
    return builder.build();
  }

  static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** What the API server stores after the replica's patch (or the same object without one). */
  static MutatingWebhookConfiguration apply(
      MutatingWebhookConfiguration config, String replica, String neededPem, Instant now) {
    CaBundlePlan.Result result = CaBundlePlan.plan(config, replica, neededPem, now, TTL);
    if (result.patch().isEmpty()) {
      return config;
    }
    ArrayNode patch = result.patch().get();
    var tree =
        JsonPatch.apply(
            patch,
            SERIALIZATION.convertValue(config, com.fasterxml.jackson.databind.JsonNode.class));
    MutatingWebhookConfiguration next =
        SERIALIZATION.convertValue(tree, MutatingWebhookConfiguration.class);
    next.getMetadata()
        .setResourceVersion(
            String.valueOf(Integer.parseInt(config.getMetadata().getResourceVersion()) + 1));
    return next;
  }

  static List<X509Certificate> bundle(MutatingWebhookConfiguration config, int entry) {
    String base64 = config.getWebhooks().get(entry).getClientConfig().getCaBundle();
    return Pem.decodeCertificates(
        new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII));
  }

  static boolean changes(
      MutatingWebhookConfiguration config, String replica, String pem, Instant now) {
    return CaBundlePlan.plan(config, replica, pem, now, TTL).patch().isPresent();
  }

  @Test
  void replicasReadingDifferentCaFilesConvergeOnTheUnionInsteadOfFlipping() {
    String a = Pem.encodeCertificate(OLD);
    String b = Pem.encodeCertificates(List.of(OLD, NEW));
    MutatingWebhookConfiguration config = config(null);

    config = apply(config, "replica-a", a, NOW);
    config = apply(config, "replica-b", b, NOW);
    config = apply(config, "replica-a", a, NOW.plusSeconds(10));

    assertEquals(Set.of(OLD, NEW), Set.copyOf(bundle(config, 0)));
    assertEquals(Set.copyOf(bundle(config, 0)), Set.copyOf(bundle(config, 1)));
    assertFalse(changes(config, "replica-a", a, NOW.plusSeconds(20)), "a has nothing to change");
    assertFalse(changes(config, "replica-b", b, NOW.plusSeconds(20)), "b has nothing to change");
  }

  @Test
  void aCaLeavesOnlyWhenNoLiveClaimHoldsIt() {
    String both = Pem.encodeCertificates(List.of(OLD, NEW));
    String onlyNew = Pem.encodeCertificate(NEW);
    MutatingWebhookConfiguration config = config(null);
    config = apply(config, "replica-a", both, NOW);
    config = apply(config, "replica-b", both, NOW);

    // a moved on to the new CA, b has not re-read its files yet: old stays for b
    config = apply(config, "replica-a", onlyNew, NOW.plusSeconds(30));
    assertEquals(Set.of(OLD, NEW), Set.copyOf(bundle(config, 0)));

    // b moved on too: nobody serves from old any more
    config = apply(config, "replica-b", onlyNew, NOW.plusSeconds(40));
    assertEquals(List.of(NEW), bundle(config, 0));
    assertEquals(List.of(NEW), bundle(config, 1));
  }

  @Test
  void aDeadReplicasCasAndClaimGoAfterTheClaimExpires() {
    String oldOnly = Pem.encodeCertificate(OLD);
    String newOnly = Pem.encodeCertificate(NEW);
    MutatingWebhookConfiguration config = config(null);
    config = apply(config, "gone", oldOnly, NOW);
    config = apply(config, "alive", newOnly, NOW.plusSeconds(1));
    assertEquals(Set.of(OLD, NEW), Set.copyOf(bundle(config, 0)), "gone's claim is live");

    config = apply(config, "alive", newOnly, NOW.plus(TTL).plusSeconds(1));

    assertEquals(List.of(NEW), bundle(config, 0));
    Map<String, String> annotations = config.getMetadata().getAnnotations();
    assertFalse(
        annotations.containsKey(CaBundlePlan.CLAIM_PREFIX + "gone"), annotations.toString());
    assertTrue(annotations.containsKey(CaBundlePlan.CLAIM_PREFIX + "alive"));
  }

  @Test
  void anExpiredCaIsRemovedEvenWhileClaimed() {
    X509Certificate shortLived = ca("short", Duration.ofDays(2));
    String both = Pem.encodeCertificates(List.of(shortLived, NEW));
    MutatingWebhookConfiguration config = apply(config(null), "a", both, NOW);
    assertEquals(2, bundle(config, 0).size());

    config = apply(config, "a", both, NOW.plus(Duration.ofDays(2)));

    assertEquals(List.of(NEW), bundle(config, 0));
  }

  @Test
  void aBundlePatchedByHandFromTheSameFileIsNotRewrittenAndTheClaimIsRenewedOnlyAtHalfLife() {
    String file = "# the CA of the webhook\n" + Pem.encodeCertificate(OLD);
    MutatingWebhookConfiguration config = config(file);
    config = apply(config, "a", file, NOW);
    assertEquals(base64(file), config.getWebhooks().get(0).getClientConfig().getCaBundle());

    assertFalse(changes(config, "a", file, NOW.plus(TTL.dividedBy(2)).minusSeconds(1)));
    CaBundlePlan.Result renewal =
        CaBundlePlan.plan(config, "a", file, NOW.plus(TTL.dividedBy(2)), TTL);
    assertTrue(renewal.patch().isPresent());
    assertFalse(
        renewal.patch().get().toString().contains("caBundle"), renewal.patch().get().toString());
  }

  @Test
  void everyPatchIsConditionalOnTheVersionItWasPlannedFrom() {
    ArrayNode patch =
        CaBundlePlan.plan(config(null), "a", Pem.encodeCertificate(OLD), NOW, TTL)
            .patch()
            .orElseThrow();
    assertEquals("test", patch.get(0).path("op").asText());
    assertEquals("/metadata/resourceVersion", patch.get(0).path("path").asText());
    assertEquals("1", patch.get(0).path("value").asText());
  }
}
