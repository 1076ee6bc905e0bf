package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When an informer's trouble is for readiness (it will heal) and when for liveness (it won't). */
class ResilientInformerIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aMissingCrdIsAReadinessReasonAndAStoppedInformerALivenessFailure() throws Exception {
    try (FakeApiServer api = new FakeApiServer();
        KubernetesClient client = api.client()) {
      api.hideCrd();
      InformerConfigSource configs =
          InformerConfigSource.start(client, JsonNodeFactory.instance.objectNode());
      ResilientInformer<?> informer = configs.informer();

      Eventually.await(
          "the 404 explained",
          WAIT,
          () -> informer.notReady().orElse("").contains("CustomResourceDefinition"));
      assertEquals(Optional.empty(), informer.broken(), "it keeps retrying: nothing to restart");

      api.installCrd();
      Eventually.await("synced", WAIT, informer::synced);
      assertEquals(Optional.empty(), informer.notReady());

      informer.underlying().stop();
      Eventually.await("reported broken", WAIT, () -> informer.broken().isPresent());
      assertTrue(informer.broken().get().contains("stopped"), informer.broken().get());

      configs.close();
      assertEquals(Optional.empty(), informer.broken(), "closed on purpose is not broken");
    }
  }
}
