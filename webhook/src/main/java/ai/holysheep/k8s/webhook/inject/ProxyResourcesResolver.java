package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * Requests and limits of the proxy. An annotation ({@code holysheep.ai/cpu}, {@code
 * holysheep.ai/memory}) sets the limit; the request becomes min(default request, value), so a
 * larger value never raises what the scheduler must reserve and a smaller one keeps request &lt;=
 * limit.
 */
final class ProxyResourcesResolver {
  private ProxyResourcesResolver() {}

  static ResourceRequirements resolve(ProxyResources defaults, PodOverrides overrides) {
    Quantity cpuLimit = orDefault(overrides.cpu(), defaults.cpuLimit());
    Quantity memoryLimit = orDefault(overrides.memory(), defaults.memoryLimit());
    Quantity cpuRequest = min(new Quantity(defaults.cpuRequest()), cpuLimit);
    Quantity memoryRequest = min(new Quantity(defaults.memoryRequest()), memoryLimit);
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", cpuRequest)
        .addToRequests("memory", memoryRequest)
        .addToLimits("cpu", cpuLimit)
        .addToLimits("memory", memoryLimit)
        .build();
  }

  private static Quantity orDefault(Quantity value, String fallback) {
    return value != null ? value : new Quantity(fallback);
  }

  private static Quantity min(Quantity a, Quantity b) {
    return Quantity.getAmountInBytes(a).compareTo(Quantity.getAmountInBytes(b)) <= 0 ? a : b;
  }
}
