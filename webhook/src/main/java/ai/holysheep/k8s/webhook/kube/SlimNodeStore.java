package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * Keeps only what injection reads of a Node: name, labels (what a pod's nodeSelector or required
 * node affinity can match), whether it is cordoned, and its kubelet version. A whole Node carries
 * images, conditions and addresses: 3,000 of them cost over 100 MiB of heap.
 */
final class SlimNodeStore extends BasicItemStore<Node> {
  SlimNodeStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Node put(String key, Node node) {
    return super.put(key, slim(node));
  }

  static Node slim(Node node) {
    NodeBuilder slim =
        new NodeBuilder()
            .withNewMetadata()
            .withName(node.getMetadata().getName())
            .withResourceVersion(node.getMetadata().getResourceVersion())
            .withLabels(node.getMetadata().getLabels())
            .endMetadata();
    if (node.getSpec() != null && node.getSpec().getUnschedulable() != null) {
      slim.withNewSpec().withUnschedulable(node.getSpec().getUnschedulable()).endSpec();
    }
    if (node.getStatus() != null && node.getStatus().getNodeInfo() != null) {
      slim.withNewStatus()
          .withNewNodeInfo()
          .withKubeletVersion(node.getStatus().getNodeInfo().getKubeletVersion())
          .endNodeInfo()
          .endStatus();
    }
    return slim.build();
  }
}
