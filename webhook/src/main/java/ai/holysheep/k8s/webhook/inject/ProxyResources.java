package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Objects;

/**
 * Default requests and limits of the {@code holysheep-proxy} container (Kubernetes quantities). The
 * {@code holysheep.ai/cpu} and {@code holysheep.ai/memory} annotations override these per pod.
 */
public record ProxyResources(
    String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
  public static final String DEFAULT_CPU_REQUEST = "50m";
  public static final String DEFAULT_MEMORY_REQUEST = "64Mi";
  public static final String DEFAULT_CPU_LIMIT = "500m";
  public static final String DEFAULT_MEMORY_LIMIT = "256Mi";

  public ProxyResources {
    for (String q : new String[] {cpuRequest, memoryRequest, cpuLimit, memoryLimit}) {
      Objects.requireNonNull(q, "resource quantity");
      Quantity.getAmountInBytes(new Quantity(q)); // throws on a malformed quantity
    }
  }

  public static ProxyResources defaults() {
    return new ProxyResources(
        DEFAULT_CPU_REQUEST, DEFAULT_MEMORY_REQUEST, DEFAULT_CPU_LIMIT, DEFAULT_MEMORY_LIMIT);
  }
}
