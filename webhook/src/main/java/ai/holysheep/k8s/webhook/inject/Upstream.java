package ai.holysheep.k8s.webhook.inject;

import java.util.Locale;

/**
 * Where an injected sidecar sends requests: straight to the config's upstreams with keys from the
 * pod's namespace, or to the cluster's gateway with the pod's ServiceAccount token and no key.
 */
public enum Upstream {
  DIRECT,
  GATEWAY;

  /** {@code direct} or {@code gateway}; null for anything else. */
  public static Upstream parse(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "direct" -> DIRECT;
      case "gateway" -> GATEWAY;
      default -> null;
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
