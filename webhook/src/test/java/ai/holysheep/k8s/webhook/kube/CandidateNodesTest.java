package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.holysheep.k8s.webhook.inject.NativeSupport;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nodes may run a pod that has no nodeName yet (a DaemonSet's, a Deployment's). */
class CandidateNodesTest {
  static final List<Node> CLUSTER =
      List.of(
          node("old-1", "v1.28.9", Map.of("pool", "old", "zone", "a"), false),
          node("new-1", "v1.30.2", Map.of("pool", "new", "zone", "a", "gpu", "2"), false),
          node("new-2", "v1.31.0", Map.of("pool", "new", "zone", "b"), false),
          node("new-cordoned", "v1.27.1", Map.of("pool", "new", "zone", "b"), true));

  static Node node(String name, String kubelet, Map<String, String> labels, boolean cordoned) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(cordoned)
        .endSpec()
        .withNewStatus()
        .withNewNodeInfo()
        .withKubeletVersion(kubelet)
        .endNodeInfo()
        .endStatus()
        .build();
  }

  static List<String> names(Pod pod) {
    return CandidateNodes.of(pod, CLUSTER).stream().map(n -> n.getMetadata().getName()).toList();
  }

  static NativeSupport support(Pod pod) {
    return KubeletVersions.combine(
        CandidateNodes.of(pod, CLUSTER).stream().map(InformerNodeVersions::kubelet).toList());
  }

  static Pod requiring(String key, String operator, String... values) {
    return new PodBuilder()
        .withNewSpec()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey(key)
                .withOperator(operator)
                .withValues(values)
                .build())
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .endSpec()
        .build();
  }

  @Test
  void aPodWithoutConstraintsMayRunOnEverySchedulableNode() {
    Pod free = new PodBuilder().withNewSpec().endSpec().build();
    assertEquals(List.of("old-1", "new-1", "new-2"), names(free));
    assertEquals(NativeSupport.NOT_ALL_NATIVE, support(free), "one old pool forces legacy");
  }

  @Test
  void aNodeSelectorOnTheNewPoolGetsNativeSidecarsDespiteTheOldPool() {
    Pod pinned =
        new PodBuilder().withNewSpec().withNodeSelector(Map.of("pool", "new")).endSpec().build();
    assertEquals(List.of("new-1", "new-2"), names(pinned), "the cordoned node is no candidate");
    assertEquals(NativeSupport.ALL_NATIVE, support(pinned));
  }

  @Test
  void requiredNodeAffinityNarrowsTheCandidates() {
    assertEquals(List.of("new-1", "new-2"), names(requiring("pool", "In", "new")));
    assertEquals(List.of("new-1", "new-2"), names(requiring("pool", "NotIn", "old")));
    assertEquals(List.of("new-1"), names(requiring("gpu", "Exists")));
    assertEquals(List.of("old-1", "new-2"), names(requiring("gpu", "DoesNotExist")));
    assertEquals(List.of("new-1"), names(requiring("gpu", "Gt", "1")));
    assertEquals(List.of(), names(requiring("gpu", "Lt", "1")));
    assertEquals(NativeSupport.UNKNOWN, support(requiring("pool", "In", "gone")), "no candidate");
  }

  @Test
  void termsAreOredAndMatchFieldsSelectByName() {
    Pod pod =
        new PodBuilder()
            .withNewSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchField()
            .withKey("metadata.name")
            .withOperator("In")
            .withValues("old-1")
            .endMatchField()
            .endNodeSelectorTerm()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("In")
            .withValues("b")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    assertEquals(List.of("old-1", "new-2"), names(pod));
  }

  @Test
  void theStoreKeepsOnlyWhatInjectionReads() {
    Node full =
        new NodeBuilder(CLUSTER.get(1))
            .editMetadata()
            .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
            .withUid("uid-1")
            .endMetadata()
            .editStatus()
            .addNewImage()
            .withNames("registry.example/big-image:1")
            .withSizeBytes(1_000_000_000L)
            .endImage()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .editNodeInfo()
            .withOsImage("Ubuntu")
            .endNodeInfo()
            .endStatus()
            .build();

    Node slim = SlimNodeStore.slim(full);

    assertEquals(CLUSTER.get(1), slim, "name, labels, unschedulable and kubelet version only");
  }
}
