package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertManagerModeTest {
  private static final String PREFIX = Helm.RELEASE;
  private static Rendered rendered;

  @BeforeAll
  static void render() {
    rendered = Helm.template("--set", "certs.mode=certManager");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static String issuerRef(GenericKubernetesResource certificate) {
    Map<String, Object> ref = (Map<String, Object>) spec(certificate).get("issuerRef");
    assertEquals("Issuer", ref.get("kind"));
    return (String) ref.get("name");
  }

  @Test
  void rendersTheIssuerChain() {
    GenericKubernetesResource selfSigned = rendered.generic("Issuer", PREFIX + "-selfsigned");
    assertTrue(spec(selfSigned).containsKey("selfSigned"));

    GenericKubernetesResource ca = rendered.generic("Certificate", PREFIX + "-ca");
    assertEquals(true, spec(ca).get("isCA"));
    assertEquals(selfSigned.getMetadata().getName(), issuerRef(ca));

    GenericKubernetesResource caIssuer = rendered.generic("Issuer", PREFIX + "-ca");
    assertEquals(Map.of("secretName", spec(ca).get("secretName")), spec(caIssuer).get("ca"));

    GenericKubernetesResource serving = rendered.generic("Certificate", PREFIX + "-serving");
    assertEquals(caIssuer.getMetadata().getName(), issuerRef(serving));
    String svc = PREFIX;
    String ns = Helm.NAMESPACE;
    assertEquals(
        List.of(
            svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local"),
        spec(serving).get("dnsNames"));
    rendered
        .generic("Issuer")
        .forEach(issuer -> assertEquals("cert-manager.io/v1", issuer.getApiVersion()));
  }

  @Test
  void asksTheCaInjectorToFillTheBundle() {
    var annotations =
        rendered.one(MutatingWebhookConfiguration.class).getMetadata().getAnnotations();
    assertEquals(
        Helm.NAMESPACE + "/" + PREFIX + "-serving",
        annotations.get("cert-manager.io/inject-ca-from"));
  }

  @Test
  void webhookReadsTheIssuedSecretFromItsTlsDirectory() {
    var podSpec = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
    String servingSecret =
        (String) spec(rendered.generic("Certificate", PREFIX + "-serving")).get("secretName");
    assertTrue(
        podSpec.getVolumes().stream()
            .anyMatch(
                v -> v.getSecret() != null && servingSecret.equals(v.getSecret().getSecretName())));
    List<String> args = podSpec.getContainers().get(0).getArgs();
    assertEquals("certManager", AvailabilityTest.flag(args, "--cert-mode"));
    assertEquals("/etc/holysheep/tls", AvailabilityTest.flag(args, "--tls-dir"));
    assertFalse(
        args.contains("--tls-secret"), "the server must not manage a Secret cert-manager owns");
    assertTrue(
        podSpec.getContainers().get(0).getVolumeMounts().stream()
            .anyMatch(m -> m.getMountPath().equals("/etc/holysheep/tls")));
  }

  @Test
  void otherModesRenderNoCertManagerObjects() {
    assertTrue(Helm.template().generic("Certificate").isEmpty());
    Rendered files =
        Helm.template("--set", "certs.mode=files", "--set", "certs.existingSecret=my-tls");
    assertTrue(files.generic("Issuer").isEmpty());
    var podSpec = files.one(Deployment.class).getSpec().getTemplate().getSpec();
    assertTrue(
        podSpec.getVolumes().stream()
            .anyMatch(
                v -> v.getSecret() != null && "my-tls".equals(v.getSecret().getSecretName())));
  }
}
