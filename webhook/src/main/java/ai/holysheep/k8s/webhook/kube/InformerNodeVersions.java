package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.inject.NativeSupport;
import ai.holysheep.k8s.webhook.inject.NodeVersions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Kubelet versions from a Node informer that keeps only what injection reads ({@link
 * SlimNodeStore}): the pod's node when {@code spec.nodeName} is set, else the {@link
 * CandidateNodes} the scheduler may pick for it.
 */
public final class InformerNodeVersions implements NodeVersions, AutoCloseable {
  public static final String RESOURCE = "nodes";

  /** Page size of the Node list: bounds the transient memory of listing thousands of nodes. */
  public static final long LIST_PAGE_SIZE = 500;

  private final ResilientInformer<Node> informer;

  private InformerNodeVersions(ResilientInformer<Node> informer) {
    this.informer = informer;
  }

  public static InformerNodeVersions start(KubernetesClient client) {
    return new InformerNodeVersions(
        ResilientInformer.start(
            RESOURCE,
            client.nodes().withLimit(LIST_PAGE_SIZE).runnableInformer(0),
            new SlimNodeStore()));
  }

  /** For readiness ({@code notReady}) and liveness ({@code broken}). */
  public ResilientInformer<Node> informer() {
    return informer;
  }

  @Override
  public NativeSupport forPod(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName != null && !nodeName.isEmpty()) {
      Node node = informer.store().getByKey(nodeName);
      if (node != null) {
        return KubeletVersions.of(kubelet(node));
      }
    }
    List<String> versions =
        CandidateNodes.of(pod, informer.store().list()).stream()
            .map(InformerNodeVersions::kubelet)
            .toList();
    return KubeletVersions.combine(versions);
  }

  static String kubelet(Node node) {
    if (node.getStatus() == null || node.getStatus().getNodeInfo() == null) {
      return null;
    }
    return node.getStatus().getNodeInfo().getKubeletVersion();
  }

  @Override
  public boolean synced() {
    return informer.synced();
  }

  @Override
  public void close() {
    informer.close();
  }
}
