package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;

/**
 * Removes what an earlier injection added, so the next step can add it again from scratch: our
 * container and volumes by name, app env vars and the default-container annotation only where our
 * status annotation says we added them (a user's own {@code OPENAI_BASE_URL} is never touched).
 */
final class PreviousInjection {
  private PreviousInjection() {}

  /** Strips {@code pod} in place; it must be a private copy. */
  static void strip(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    InjectionStatus status =
        annotations == null ? null : InjectionStatus.read(annotations.get(Annotations.STATUS));
    PodSpec spec = pod.getSpec();
    spec.getContainers().removeIf(c -> SidecarNames.CONTAINER.equals(c.getName()));
    spec.getInitContainers().removeIf(c -> SidecarNames.CONTAINER.equals(c.getName()));
    spec.getVolumes().removeIf(v -> SidecarNames.VOLUMES.contains(v.getName()));
    if (status == null) {
      if (annotations != null) {
        annotations.remove(Annotations.STATUS);
      }
      return;
    }
    for (Container container : spec.getContainers()) {
      List<String> added = status.env().get(container.getName());
      if (added != null && container.getEnv() != null) {
        container.getEnv().removeIf(e -> added.contains(e.getName()));
      }
    }
    if (status.defaultContainer()) {
      annotations.remove(Annotations.DEFAULT_CONTAINER);
    }
    annotations.remove(Annotations.STATUS);
  }
}
