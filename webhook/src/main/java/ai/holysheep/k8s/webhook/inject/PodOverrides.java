package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The validated per-pod override annotations.
 *
 * @param configName {@code holysheep.ai/config}, or null for the namespace's {@code default}
 * @param configOverlay config fields set by annotations (merge-patch onto the resolved spec)
 * @param cpu {@code holysheep.ai/cpu}, or null
 * @param memory {@code holysheep.ai/memory}, or null
 * @param proxyPortOverridden whether the proxy port came from an annotation (then the sidecar gets
 *     it as env)
 * @param upstream {@code holysheep.ai/upstream}, or null for the injector's default
 */
record PodOverrides(
    String configName,
    ObjectNode configOverlay,
    Quantity cpu,
    Quantity memory,
    NativeMode nativeMode,
    boolean injectEnv,
    int proxyPort,
    boolean proxyPortOverridden,
    int adminPort,
    boolean adminPortOverridden,
    Upstream upstream) {}
