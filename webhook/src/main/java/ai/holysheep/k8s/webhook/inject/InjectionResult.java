package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/** What the injector decided for one pod. */
public sealed interface InjectionResult {
  /** The pod to admit; {@code pod} is a new object, the input is untouched. */
  record Injected(Pod pod, List<String> warnings) implements InjectionResult {
    public Injected {
      Objects.requireNonNull(pod, "pod");
      warnings = List.copyOf(warnings);
    }
  }

  /** Admit the pod unchanged. */
  record Skipped(String reason, List<String> warnings) implements InjectionResult {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
      warnings = List.copyOf(warnings);
    }
  }

  /** Reject the pod; {@code message} says what is wrong and what is expected. */
  record Denied(String message) implements InjectionResult {
    public Denied {
      Objects.requireNonNull(message, "message");
    }
  }
}
