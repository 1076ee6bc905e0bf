package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.Pem;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas (and other writers) sharing one MutatingWebhookConfiguration, against the fabric8 mock
 * API server, with a hand-moved clock: they converge instead of patching each other forever.
 */
class CaBundleReconcilerIT {
  static final String NAME = "holysheep-injector";
  static final Backoff HALF = new Backoff(Backoff.FIRST, Backoff.MAX, () -> 0.0);

  MockApiServer api;
  KubernetesClient admin;
  final List<KubernetesClient> clients = new ArrayList<>();
  final List<CaBundleReconciler> reconcilers = new ArrayList<>();
  MutableClock clock;

  @BeforeEach
  void setUp() {
    api = new MockApiServer();
    admin = api.client();
    clock = new MutableClock(Instant.now());
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(CaBundlePlanTest.config(null))
        .create();
  }

  @AfterEach
  void tearDown() {
    reconcilers.forEach(CaBundleReconciler::close);
    clients.forEach(KubernetesClient::close);
    admin.close();
    api.close();
  }

  CaBundleReconciler replica(String id, List<X509Certificate> serves, AtomicInteger patches) {
    KubernetesClient client = api.client();
    clients.add(client);
    CaBundleReconciler reconciler =
        new CaBundleReconciler(client, NAME, id, clock, CaBundleReconciler.DEFAULT_CLAIM_TTL, HALF);
    reconciler.need(Pem.encodeCertificates(serves));
    reconciler.onPatched(patch -> patches.incrementAndGet());
    reconcilers.add(reconciler);
    return reconciler;
  }

  MutatingWebhookConfiguration read() {
    return admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).get();
  }

  @Test
  void twoReplicasWithDifferentCaFilesStopPatchingOnceBothCasAreInTheBundle() {
    AtomicInteger patches = new AtomicInteger();
    CaBundleReconciler a = replica("a", List.of(CaBundlePlanTest.OLD), patches);
    CaBundleReconciler b =
        replica("b", List.of(CaBundlePlanTest.OLD, CaBundlePlanTest.NEW), patches);

    // each replica reacts to the other's write (watch event), as often as a loop would
    for (int round = 0; round < 20; round++) {
      a.reconcile();
      b.reconcile();
      clock.advance(Duration.ofMillis(100));
    }

    assertEquals(2, patches.get(), "one patch per replica, then nothing to do");
    assertEquals(
        Set.of(CaBundlePlanTest.OLD, CaBundlePlanTest.NEW),
        Set.copyOf(CaBundlePlanTest.bundle(read(), 0)));
    assertEquals(
        Set.of(CaBundlePlanTest.OLD, CaBundlePlanTest.NEW),
        Set.copyOf(CaBundlePlanTest.bundle(read(), 1)));
  }

  @Test
  void aWriterThatKeepsUndoingOurPatchMeetsAnExponentialBackoff() {
    AtomicInteger patches = new AtomicInteger();
    CaBundleReconciler ours = replica("ours", List.of(CaBundlePlanTest.NEW), patches);
    String theirs = CaBundlePlanTest.base64(Pem.encodeCertificate(CaBundlePlanTest.OLD));

    // 30 s, checked every 100 ms; the other writer puts its own bundle back after each change
    for (int step = 0; step < 300; step++) {
      ours.reconcile();
      admin
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(NAME)
          .edit(
              c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(theirs));
                return c;
              });
      clock.advance(Duration.ofMillis(100));
    }

    // writes at 0 s, then after waits of 0.5, 1, 2, 4, 8, 16 s (half of 1, 2, 4, … s)
    assertTrue(patches.get() <= 7, patches.get() + " patches in 30 s");
    assertTrue(patches.get() >= 5, patches.get() + " patches: it must keep trying");
  }

  @Test
  void aRefusedPatchIsRetriedAfterTheBackoffNotAtOnce() {
    try (FakeApiServer fake = new FakeApiServer();
        KubernetesClient fakeAdmin = fake.mock().client();
        KubernetesClient client = fake.client()) {
      fakeAdmin
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .resource(CaBundlePlanTest.config(null))
          .create();
      AtomicInteger patches = new AtomicInteger();
      CaBundleReconciler ours =
          new CaBundleReconciler(
              client, NAME, "ours", clock, CaBundleReconciler.DEFAULT_CLAIM_TTL, HALF);
      reconcilers.add(ours);
      ours.need(Pem.encodeCertificate(CaBundlePlanTest.NEW));
      ours.onPatched(patch -> patches.incrementAndGet());
      List<Duration> wakeUps = new ArrayList<>();
      ours.wakeUp(wakeUps::add);
      fake.conflictOnWrites("/mutatingwebhookconfigurations/");

      ours.reconcile();
      int writes = fake.requests("PATCH /apis/admissionregistration.k8s.io");
      assertTrue(writes >= 1);
      assertEquals(List.of(Duration.ofMillis(500)), wakeUps, "asks to be woken after the backoff");
      ours.reconcile();
      assertEquals(
          writes,
          fake.requests("PATCH /apis/admissionregistration.k8s.io"),
          "no write while backing off");

      fake.clearFaults();
      clock.advance(Duration.ofMillis(500));
      ours.reconcile();
      assertEquals(1, patches.get());
    }
  }
}
