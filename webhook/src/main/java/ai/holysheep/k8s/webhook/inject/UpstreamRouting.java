package ai.holysheep.k8s.webhook.inject;

import java.util.Objects;

/**
 * How the injector routes sidecars: the default upstream (chart value {@code sidecar.upstream}, a
 * pod's {@code holysheep.ai/upstream} wins), the gateway if the chart runs one, and the cluster
 * default config.
 *
 * @param gateway null when no gateway is installed ({@code upstream: gateway} is then denied)
 */
public record UpstreamRouting(
    Upstream defaultUpstream, GatewayUpstream gateway, ClusterConfig cluster) {
  public UpstreamRouting {
    Objects.requireNonNull(defaultUpstream, "defaultUpstream");
    Objects.requireNonNull(cluster, "cluster");
    if (defaultUpstream == Upstream.GATEWAY && gateway == null) {
      throw new IllegalArgumentException(
          "the default upstream is gateway, but no gateway URL is given (--gateway-url)");
    }
  }

  /** Direct to the config's upstreams, no gateway, no cluster layer. */
  public static UpstreamRouting direct() {
    return new UpstreamRouting(Upstream.DIRECT, null, ClusterConfig.none());
  }

  /** The gateway of this pod, or null when it goes direct; denies a gateway nobody installed. */
  GatewayUpstream gatewayFor(PodOverrides overrides) {
    Upstream chosen = overrides.upstream() != null ? overrides.upstream() : defaultUpstream;
    if (chosen == Upstream.DIRECT) {
      return null;
    }
    if (gateway == null) {
      throw new InvalidPodException(
          Annotations.UPSTREAM
              + ": \"gateway\" is invalid here; this injector has no gateway (install the chart with"
              + " gateway.enabled=true) — expected \"direct\" or no annotation");
    }
    return gateway;
  }
}
