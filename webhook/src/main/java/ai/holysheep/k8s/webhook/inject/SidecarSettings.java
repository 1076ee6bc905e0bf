package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.HolySheepConfig;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * Everything that shapes the sidecar of one pod, after defaults, annotations and config; {@code
 * gateway} is null unless the pod uses the gateway.
 */
record SidecarSettings(
    InjectorOptions options,
    HolySheepConfig config,
    boolean nativeSidecar,
    PodOverrides overrides,
    ResourceRequirements resources,
    GatewayUpstream gateway) {}
