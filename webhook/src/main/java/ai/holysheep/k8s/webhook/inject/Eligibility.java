package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;

/** Whether a pod is to be injected at all: opt-in/opt-out, and pods a sidecar cannot serve. */
final class Eligibility {
  static final String WINDOWS = "windows";
  static final String OS_LABEL = "kubernetes.io/os";

  private Eligibility() {}

  /** A skip, or null when the pod is to be injected. */
  static InjectionResult.Skipped check(Pod pod, Scope scope) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String inject = annotations == null ? null : annotations.get(Annotations.INJECT);
    if (inject != null && !"true".equals(inject) && !"false".equals(inject)) {
      throw new InvalidPodException(
          Annotations.INJECT + ": \"" + inject + "\" is invalid; expected \"true\" or \"false\"");
    }
    if ("false".equals(inject)) {
      return new InjectionResult.Skipped(
          "opted out with " + Annotations.INJECT + ": \"false\"", List.of());
    }
    if (scope == Scope.POD && !"true".equals(inject)) {
      return new InjectionResult.Skipped(
          "not opted in: per-pod injection needs " + Annotations.INJECT + ": \"true\"", List.of());
    }
    String unsupported = unsupported(pod, annotations);
    if (unsupported != null) {
      String warning = "HolySheep sidecar not injected: " + unsupported;
      return new InjectionResult.Skipped(unsupported, List.of(warning));
    }
    return null;
  }

  private static String unsupported(Pod pod, Map<String, String> annotations) {
    if (annotations != null && annotations.containsKey(Annotations.MIRROR)) {
      return "mirror (static) pods cannot be changed by admission webhooks";
    }
    PodSpec spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      return "hostNetwork pods share the node's localhost, where the proxy port would clash and"
          + " be reachable by every pod on the node";
    }
    boolean windows =
        (spec.getOs() != null && WINDOWS.equals(spec.getOs().getName()))
            || (spec.getNodeSelector() != null
                && WINDOWS.equals(spec.getNodeSelector().get(OS_LABEL)));
    if (windows) {
      return "Windows pods are not supported (the sidecar image is Linux only)";
    }
    return null;
  }
}
