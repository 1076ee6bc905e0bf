package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Pod;

/** Kubelet versions of the nodes that may run a pod, as far as native sidecar support goes. */
public interface NodeVersions {
  NativeSupport forPod(Pod pod);

  boolean synced();

  /** The same answer for every pod (offline CLI, {@code serve --no-kube}, tests). */
  static NodeVersions fixed(NativeSupport support) {
    java.util.Objects.requireNonNull(support, "support");
    return new NodeVersions() {
      @Override
      public NativeSupport forPod(Pod pod) {
        return support;
      }

      @Override
      public boolean synced() {
        return true;
      }
    };
  }
}
