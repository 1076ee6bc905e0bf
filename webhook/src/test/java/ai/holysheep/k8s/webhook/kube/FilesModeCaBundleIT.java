package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.Pem;
import ai.holysheep.k8s.webhook.cli.ServeOptions;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TlsProbe;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cert-mode files} with an API server: {@code caBundle} follows {@code ca.crt} in the TLS
 * directory; {@code certManager} mode never writes it. Fabric8 mock API server, CRUD, plain HTTP.
 */
class FilesModeCaBundleIT extends WebhooksOnMockApi {
  static final String CONFIG_NAME = "holysheep-injector";

  @TempDir Path tlsDir;

  /** Writes tls.crt, tls.key and (if asked) ca.crt the way a mounted Secret presents them. */
  static TestPki writePki(Path dir, boolean withCa) throws Exception {
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    if (withCa) {
      Files.writeString(dir.resolve("ca.crt"), Pem.encodeCertificate(pki.ca().certificate()));
    }
    return pki;
  }

  Webhook start(String certMode) throws Exception {
    ServeOptions options =
        ServeOptions.parse(
            new String[] {
              "--host", "127.0.0.1",
              "--port", "0",
              "--cert-mode", certMode,
              "--tls-dir", tlsDir.toString(),
              "--webhook-config-name", CONFIG_NAME,
              "--reload-interval", "1h",
              "--native-sidecar", "false",
              "--warm-up-rounds", "1"
            },
            Map.of());
    KubernetesClient client = api.client();
    clients.add(client);
    return await(
        Webhook.start(
                vertx,
                options,
                options.selfSignedOptions(),
                JsonNodeFactory.instance.objectNode(),
                client,
                Clock.systemUTC())
            .onSuccess(started::add));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
  }

  Resource<MutatingWebhookConfiguration> configuration() {
    return admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG_NAME);
  }

  void createWebhookConfiguration(String initialCaBundle) {
    MutatingWebhookConfigurationBuilder builder =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(CONFIG_NAME)
            .endMetadata();
    for (String entry : List.of("namespace", "pod")) {
      builder
          .addNewWebhook()
          .withName(entry + ".holysheep.ai")
          .withNewClientConfig()
          .withCaBundle(initialCaBundle)
          .withNewService()
          .withName(TestPki.SERVICE)
          .withNamespace(TestPki.NAMESPACE)
          .withPath("/mutate/" + entry)
          .endService()
          .endClientConfig()
          .withAdmissionReviewVersions("v1")
          .withSideEffects("None")
          .endWebhook();
    }
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(builder.build())
        .create();
  }

  List<String> caBundles() {
    return configuration().get().getWebhooks().stream()
        .map(w -> w.getClientConfig().getCaBundle())
        .toList();
  }

  String base64Of(Path file) throws Exception {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
  }

  void awaitBundles(String what, String expected) throws Exception {
    Eventually.await(what, WAIT, () -> caBundles().equals(List.of(expected, expected)));
  }

  @Test
  void caBundleIsFilledFromCaCrtAndPatchedBackAfterBeingBlanked() throws Exception {
    writePki(tlsDir, true);
    createWebhookConfiguration(null);
    Webhook webhook = start("files");
    String expected = base64Of(tlsDir.resolve("ca.crt"));

    awaitBundles("caBundle from ca.crt on both entries", expected);

    CompletableFuture<String> repatched = new CompletableFuture<>();
    webhook.caBundleReconciler().onPatched(repatched::complete);
    // what `kubectl apply` of the chart's configuration (no caBundle) does
    configuration()
        .edit(
            c -> {
              c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
              return c;
            });
    String patch = repatched.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(patch.contains("\"" + expected + "\""), patch);
    awaitBundles("caBundle restored", expected);
  }

  @Test
  void replacedCaCrtIsFollowedOnTheNextReloadTick() throws Exception {
    writePki(tlsDir, true);
    createWebhookConfiguration(null);
    Webhook webhook = start("files");
    awaitBundles("initial caBundle", base64Of(tlsDir.resolve("ca.crt")));

    TestPki rotated = writePki(tlsDir, true);
    // the tick started at start-up may already have picked the new pair up: what counts is that
    // after this tick both the pair and caBundle are the new ones
    await(webhook.refreshCertificate());

    String expected = base64Of(tlsDir.resolve("ca.crt"));
    assertEquals(List.of(expected, expected), caBundles(), "patched within the same tick");
    X509Certificate newCa = rotated.ca().certificate();
    assertEquals(List.of(newCa), decodedBundle(expected));
    X509Certificate served =
        TlsProbe.handshake(TestPki.trusting(newCa), webhook.port(), "127.0.0.1");
    assertTrue(CertificateChecks.isSignedBy(served, newCa));
  }

  @Test
  void halfWrittenCaCrtNeverReachesTheConfiguration() throws Exception {
    writePki(tlsDir, true);
    createWebhookConfiguration(null);
    Webhook webhook = start("files");
    String good = base64Of(tlsDir.resolve("ca.crt"));
    awaitBundles("initial caBundle", good);

    String pem = Files.readString(tlsDir.resolve("ca.crt"));
    Files.writeString(tlsDir.resolve("ca.crt"), pem.substring(0, pem.length() / 2));
    await(webhook.refreshCertificate());

    assertEquals(List.of(good, good), caBundles());
  }

  @Test
  void caCrtThatAppearsLaterIsPickedUpOnATick() throws Exception {
    TestPki pki = writePki(tlsDir, false);
    createWebhookConfiguration(null);
    Webhook webhook = start("files");
    assertEquals(Arrays.asList(null, null), caBundles(), "nothing to enforce without ca.crt");

    Files.writeString(tlsDir.resolve("ca.crt"), Pem.encodeCertificate(pki.ca().certificate()));
    await(webhook.refreshCertificate());

    String expected = base64Of(tlsDir.resolve("ca.crt"));
    assertEquals(List.of(expected, expected), caBundles());
  }

  @Test
  void certManagerModeLeavesCaBundleToTheCaInjector() throws Exception {
    writePki(tlsDir, true);
    String injected =
        Base64.getEncoder()
            .encodeToString(
                Pem.encodeCertificate(new TestPki().ca().certificate())
                    .getBytes(StandardCharsets.US_ASCII));
    createWebhookConfiguration(injected);
    Webhook webhook = start("certManager");

    assertNull(webhook.caBundleReconciler());
    await(webhook.refreshCertificate());
    assertEquals(List.of(injected, injected), caBundles());
  }

  static List<X509Certificate> decodedBundle(String base64) {
    return Pem.decodeCertificates(
        new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII));
  }
}
