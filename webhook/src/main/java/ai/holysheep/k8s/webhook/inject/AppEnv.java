package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Points every app container (spec.containers, not init containers) at the sidecar, unless the
 * container already sets the variable in {@code env}.
 */
final class AppEnv {
  private AppEnv() {}

  /** Appends the env in place; returns, per container, the names it added (for the status). */
  static Map<String, List<String>> add(List<Container> appContainers, int proxyPort) {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(SidecarNames.ENV_OPENAI_BASE_URL, SidecarNames.baseUrl(proxyPort));
    wanted.put(SidecarNames.ENV_HOLYSHEEP_BASE_URL, SidecarNames.baseUrl(proxyPort));
    wanted.put(SidecarNames.ENV_OPENAI_API_KEY, SidecarNames.API_KEY_PLACEHOLDER);
    Map<String, List<String>> added = new LinkedHashMap<>();
    for (Container container : appContainers) {
      List<EnvVar> env = container.getEnv() == null ? new ArrayList<>() : container.getEnv();
      List<String> names = new ArrayList<>();
      wanted.forEach(
          (name, value) -> {
            if (env.stream().noneMatch(e -> name.equals(e.getName()))) {
              env.add(new EnvVar(name, value, null));
              names.add(name);
            }
          });
      container.setEnv(env);
      if (!names.isEmpty()) {
        added.put(container.getName(), names);
      }
    }
    return added;
  }
}
