package ai.holysheep.k8s.webhook.admission;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Publishes injection warnings as Events on the pod's owner, because warnings in an admission
 * response to a controller reach no user. Never blocks and never fails the admission.
 */
public interface WarningEvents {
  void publish(String namespace, Pod pod, List<String> warnings);

  /** No API server ({@code --no-kube}): warnings only go in the response. */
  static WarningEvents none() {
    return (namespace, pod, warnings) -> {};
  }
}
