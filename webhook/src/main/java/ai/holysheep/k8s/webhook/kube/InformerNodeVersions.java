package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.inject.NativeSupport;
import ai.holysheep.k8s.webhook.inject.NodeVersions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/**
 * Kubelet versions from a Node informer: the pod's node when {@code spec.nodeName} is set, else
 * every schedulable node (the scheduler may pick any of them).
 */
public final class InformerNodeVersions implements NodeVersions, AutoCloseable {
  private final SharedIndexInformer<Node> informer;

  private InformerNodeVersions(SharedIndexInformer<Node> informer) {
    this.informer = informer;
  }

  public static InformerNodeVersions start(KubernetesClient client) {
    SharedIndexInformer<Node> informer = client.nodes().runnableInformer(0);
    informer.start();
    return new InformerNodeVersions(informer);
  }

  @Override
  public NativeSupport forPod(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName != null && !nodeName.isEmpty()) {
      Node node = informer.getStore().getByKey(nodeName);
      if (node != null) {
        return KubeletVersions.of(kubelet(node));
      }
    }
    List<String> versions =
        informer.getStore().list().stream()
            .filter(
                n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
            .map(InformerNodeVersions::kubelet)
            .toList();
    return KubeletVersions.combine(versions);
  }

  private static String kubelet(Node node) {
    if (node.getStatus() == null || node.getStatus().getNodeInfo() == null) {
      return null;
    }
    return node.getStatus().getNodeInfo().getKubeletVersion();
  }

  @Override
  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public void close() {
    informer.close();
  }
}
