package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Native (restartable init container) or legacy (first app container) sidecar for one pod. */
final class SidecarMode {
  static final String NATIVE = "native";
  static final String LEGACY = "legacy";
  private static final String WHY_LEGACY_FAILS =
      "a legacy sidecar is an ordinary container that keeps running after the app exits, so the"
          + " pod would never complete";

  private SidecarMode() {}

  /** True for native; an {@link InvalidPodException} when no mode can work for this pod. */
  static boolean decide(
      Pod pod, NativeMode requested, NativeSupport support, List<String> warnings) {
    String completes = mustComplete(pod);
    switch (requested) {
      case TRUE -> {
        if (support == NativeSupport.NOT_ALL_NATIVE) {
          throw new InvalidPodException(
              Annotations.NATIVE_SIDECAR
                  + ": \"true\" cannot be honoured: a node that may run this pod has a kubelet older"
                  + " than 1.29, without native sidecar support; expected \"auto\" or \"false\", or"
                  + " schedule the pod on 1.29+ nodes (nodeName/nodeSelector)");
        }
        if (support == NativeSupport.UNKNOWN) {
          warnings.add(
              "kubelet versions of this pod's nodes are unknown; using a native sidecar as "
                  + Annotations.NATIVE_SIDECAR
                  + " asks");
        }
        return true;
      }
      case FALSE -> {
        if (completes != null) {
          throw new InvalidPodException(
              Annotations.NATIVE_SIDECAR
                  + ": \"false\" cannot work for this pod ("
                  + completes
                  + "): "
                  + WHY_LEGACY_FAILS
                  + "; expected \"auto\" or \"true\" on nodes with kubelet 1.29+");
        }
        return false;
      }
      default -> {
        if (support == NativeSupport.ALL_NATIVE) {
          return true;
        }
        if (completes != null) {
          throw new InvalidPodException(
              "cannot inject the HolySheep sidecar into this pod ("
                  + completes
                  + "): "
                  + (support == NativeSupport.UNKNOWN
                      ? "the kubelet versions of its nodes are unknown"
                      : "a node that may run it has a kubelet older than 1.29")
                  + ", so only a legacy sidecar is possible, and "
                  + WHY_LEGACY_FAILS
                  + "; run it on 1.29+ nodes (or set "
                  + Annotations.NATIVE_SIDECAR
                  + ": \"true\" if they are), or opt out with "
                  + Annotations.INJECT
                  + ": \"false\"");
        }
        return false;
      }
    }
  }

  /** Why the pod is meant to run to completion, or null for a long-running pod. */
  static String mustComplete(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null) {
      for (OwnerReference owner : owners) {
        if ("Job".equals(owner.getKind())) {
          return "owned by Job \"" + owner.getName() + "\"";
        }
      }
    }
    String restartPolicy = pod.getSpec().getRestartPolicy();
    if (restartPolicy != null && !"Always".equals(restartPolicy)) {
      return "restartPolicy " + restartPolicy;
    }
    return null;
  }
}
