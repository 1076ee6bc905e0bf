package ai.holysheep.k8s.webhook.inject;

import java.util.Objects;

/**
 * Everything about one admission the injector needs besides the pod.
 *
 * @param scope which route asked (decides what counts as opted in)
 * @param namespace the request's namespace (controller-made pods often carry none in the object);
 *     null falls back to the pod's own {@code metadata.namespace}, then {@code default}
 * @param dryRun the request is a dry run (the injector's answer does not change; callers skip side
 *     effects such as Events)
 * @param configs chart default and {@code HolySheepConfig} specs
 * @param nodes kubelet versions, for the native/legacy sidecar decision
 */
public record InjectionContext(
    Scope scope, String namespace, boolean dryRun, ConfigSource configs, NodeVersions nodes) {
  public InjectionContext {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(configs, "configs");
    Objects.requireNonNull(nodes, "nodes");
  }
}
