package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.Pem;
import ai.holysheep.k8s.webhook.cli.ServeOptions;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TlsProbe;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code self} certificate mode against the fabric8 mock API server (CRUD, plain HTTP). */
class SelfModeIT extends WebhooksOnMockApi {

  static SelfSignedOptions selfOptions(String namespace, String webhookConfig) {
    return SelfSignedOptions.defaults(namespace)
        .withNames(TestPki.SERVICE, "holysheep-injector-tls", webhookConfig)
        .withExtraNames(List.of(), List.of("127.0.0.1"));
  }

  Future<Webhook> startSelf(SelfSignedOptions self, Clock clock) {
    ServeOptions options =
        ServeOptions.parse(
            new String[] {
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--cert-mode",
              "self",
              "--namespace",
              self.namespace(),
              "--reload-interval",
              "1h",
              "--native-sidecar",
              "false",
              "--warm-up-rounds",
              "1"
            },
            Map.of());
    KubernetesClient client = api.client();
    clients.add(client);
    return Webhook.start(vertx, options, self, JsonNodeFactory.instance.objectNode(), client, clock)
        .onSuccess(started::add);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
  }

  void createWebhookConfiguration(String name, String namespace) {
    MutatingWebhookConfiguration config =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .addNewWebhook()
            .withName("namespace.holysheep.ai")
            .withNewClientConfig()
            .withNewService()
            .withName(TestPki.SERVICE)
            .withNamespace(namespace)
            .withPath("/mutate/namespace")
            .endService()
            .endClientConfig()
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .endWebhook()
            .addNewWebhook()
            .withName("pod.holysheep.ai")
            .withNewClientConfig()
            .withNewService()
            .withName(TestPki.SERVICE)
            .withNamespace(namespace)
            .withPath("/mutate/pod")
            .endService()
            .endClientConfig()
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .endWebhook()
            .build();
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).create();
  }

  String caBundleOf(String webhookConfig, int index) {
    return admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(webhookConfig)
        .get()
        .getWebhooks()
        .get(index)
        .getClientConfig()
        .getCaBundle();
  }

  static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  static X509Certificate served(Webhook webhook, X509Certificate... trusted) throws Exception {
    return TlsProbe.handshake(TestPki.trusting(trusted), webhook.port(), "127.0.0.1");
  }

  @Test
  void twoReplicasStartingTogetherConvergeOnOneSecretAndOneCa() throws Exception {
    createWebhookConfiguration("holysheep-injector", "holysheep");
    SelfSignedOptions self = selfOptions("holysheep", "holysheep-injector");

    Future<Webhook> first = startSelf(self, Clock.systemUTC());
    Future<Webhook> second = startSelf(self, Clock.systemUTC());
    await(Future.all(first, second));

    List<Secret> secrets = admin.secrets().inNamespace("holysheep").list().getItems();
    assertEquals(1, secrets.size());
    X509Certificate ca = Pem.decodeCertificate(decode(secrets.get(0), "ca.crt"));
    for (Webhook replica : List.of(first.result(), second.result())) {
      X509Certificate leaf = served(replica, ca);
      assertTrue(CertificateChecks.isSignedBy(leaf, ca));
      for (String name :
          List.of(
              "holysheep-injector",
              "holysheep-injector.holysheep",
              "holysheep-injector.holysheep.svc",
              "holysheep-injector.holysheep.svc.cluster.local")) {
        TlsProbe.handshake(TestPki.trusting(ca), replica.port(), name);
      }
    }
    String bundle = decode(secrets.get(0), "ca-bundle.crt");
    assertEquals(List.of(ca), Pem.decodeCertificates(bundle));
    String expected =
        Base64.getEncoder().encodeToString(bundle.getBytes(StandardCharsets.US_ASCII));
    Eventually.await(
        "caBundle on both entries",
        WAIT,
        () ->
            expected.equals(caBundleOf("holysheep-injector", 0))
                && expected.equals(caBundleOf("holysheep-injector", 1)));
  }

  @Test
  void blankedCaBundleIsPatchedBackByTheWatch() throws Exception {
    createWebhookConfiguration("holysheep-injector", "holysheep");
    Webhook webhook =
        await(startSelf(selfOptions("holysheep", "holysheep-injector"), Clock.systemUTC()));
    Eventually.await(
        "caBundle set after start", WAIT, () -> caBundleOf("holysheep-injector", 0) != null);
    String expected = caBundleOf("holysheep-injector", 0);
    CompletableFuture<String> repatched = new CompletableFuture<>();
    webhook.caBundleReconciler().onPatched(repatched::complete);

    // what `kubectl apply` of a configuration without caBundle does
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName("holysheep-injector")
        .edit(
            c -> {
              c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
              return c;
            });

    String patch = repatched.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(patch.contains("\"" + expected + "\""), patch);
    Eventually.await(
        "caBundle restored",
        WAIT,
        () ->
            expected.equals(caBundleOf("holysheep-injector", 0))
                && expected.equals(caBundleOf("holysheep-injector", 1)));
  }

  @Test
  void renewedServingCertificateIsServedWithoutRestart() throws Exception {
    createWebhookConfiguration("renew-injector", "renew");
    // starts in the past so that, once advanced, the clock is back at real time: the TLS client
    // checks validity against the real clock
    MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofMinutes(100)));
    SelfSignedOptions self =
        selfOptions("renew", "renew-injector")
            .withLifetimes(
                Duration.ofDays(10),
                Duration.ofHours(2),
                Duration.ofDays(2),
                Duration.ofMinutes(30),
                Duration.ofMinutes(10));
    Webhook webhook = await(startSelf(self, clock));
    // the refresh started at start-up has run before the clock moves (one refresh thread)
    await(webhook.refreshCertificate());
    X509Certificate ca =
        Pem.decodeCertificate(
            decode(
                admin.secrets().inNamespace("renew").withName("holysheep-injector-tls").get(),
                "ca.crt"));
    X509Certificate before = served(webhook, ca);
    int port = webhook.port();

    clock.advance(Duration.ofMinutes(100));
    assertTrue(await(webhook.refreshCertificate()));

    X509Certificate after = served(webhook, ca);
    assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
    assertTrue(after.getNotAfter().after(before.getNotAfter()));
    assertEquals(port, webhook.port());
  }

  @Test
  void caRotationStagesTheNewCaInTheBundleBeforeServingFromIt() throws Exception {
    createWebhookConfiguration("rotate-injector", "rotate");
    MutableClock clock =
        new MutableClock(Instant.now().minus(Duration.ofDays(8).plusHours(1).plusMinutes(11)));
    SelfSignedOptions self =
        selfOptions("rotate", "rotate-injector")
            .withLifetimes(
                Duration.ofDays(10),
                Duration.ofDays(1),
                Duration.ofDays(2),
                Duration.ofHours(2),
                Duration.ofMinutes(10));
    Webhook webhook = await(startSelf(self, clock));
    // the refresh started at start-up has run before the clock moves (one refresh thread)
    await(webhook.refreshCertificate());
    var secrets = admin.secrets().inNamespace("rotate").withName("holysheep-injector-tls");
    X509Certificate oldCa = Pem.decodeCertificate(decode(secrets.get(), "ca.crt"));

    clock.advance(Duration.ofDays(8).plusHours(1));
    await(webhook.refreshCertificate());
    X509Certificate newCa = Pem.decodeCertificate(decode(secrets.get(), "ca.crt"));
    assertNotEquals(oldCa, newCa);
    List<X509Certificate> bundle = Pem.decodeCertificates(decode(secrets.get(), "ca-bundle.crt"));
    assertEquals(List.of(oldCa, newCa), bundle);
    String bundleBase64 = secrets.get().getData().get("ca-bundle.crt");
    Eventually.await(
        "staged bundle in the webhook configuration",
        WAIT,
        () -> bundleBase64.equals(caBundleOf("rotate-injector", 0)));
    assertTrue(
        CertificateChecks.isSignedBy(served(webhook, oldCa), oldCa),
        "still the old CA while staged");

    clock.advance(Duration.ofMinutes(11));
    assertTrue(await(webhook.refreshCertificate()));

    X509Certificate leaf = served(webhook, newCa);
    assertTrue(CertificateChecks.isSignedBy(leaf, newCa));
    assertEquals(bundleBase64, caBundleOf("rotate-injector", 1));
  }

  @Test
  void replicasRenewingAtTheSameMomentConvergeOnOneServingCertificate() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    SelfSignedOptions self =
        selfOptions("race", "race-injector")
            .withLifetimes(
                Duration.ofDays(10),
                Duration.ofHours(2),
                Duration.ofDays(2),
                Duration.ofMinutes(30),
                Duration.ofMinutes(10));
    KubernetesClient clientA = api.client();
    KubernetesClient clientB = api.client();
    clients.add(clientA);
    clients.add(clientB);
    SelfSignedCertificates a = new SelfSignedCertificates(clientA, self, clock);
    SelfSignedCertificates b = new SelfSignedCertificates(clientB, self, clock);
    String initial = a.sync().fingerprint();
    assertEquals(initial, b.sync().fingerprint());

    clock.advance(Duration.ofMinutes(100));
    CompletableFuture<String> renewA = CompletableFuture.supplyAsync(() -> a.sync().fingerprint());
    CompletableFuture<String> renewB = CompletableFuture.supplyAsync(() -> b.sync().fingerprint());
    String fromA = renewA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    String fromB = renewB.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertNotEquals(initial, fromA);
    assertEquals(fromA, fromB);
    Secret secret = admin.secrets().inNamespace("race").withName("holysheep-injector-tls").get();
    assertEquals(
        fromA,
        ai.holysheep.k8s.webhook.tls.ServingCertificate.parse(
                decode(secret, "tls.crt"), decode(secret, "tls.key"))
            .fingerprint());
  }
}
