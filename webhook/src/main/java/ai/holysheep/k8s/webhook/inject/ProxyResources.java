package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Objects;

/**
 * Default requests and limits of the {@code holysheep-proxy} container (Kubernetes quantities). The
 * {@code holysheep.ai/cpu} and {@code holysheep.ai/memory} annotations override these per pod; the
 * chart sets them with {@code sidecar.resources} (whose defaults are these, see its values.yaml for
 * the measurements behind them, docs/BENCHMARKS.md for the runs).
 */
public record ProxyResources(
    String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
  /** A weight, not a reservation that idles: the sidecar of a typical pod uses a few millicores. */
  public static final String DEFAULT_CPU_REQUEST = "50m";

  /**
   * The working set as the kubelet counts it (make bench: ~53 MiB at rest, ~60 MiB after 1k req/s,
   * 70-80 MiB after saturation).
   */
  public static final String DEFAULT_MEMORY_REQUEST = "64Mi";

  /**
   * One core: start-up and the first minute's JIT are CPU-bound bursts that a 500m quota doubled
   * (ready in about 0.8 s instead of 1.2 s) and throttled; a limit reserves nothing on the node.
   */
  public static final String DEFAULT_CPU_LIMIT = "1";

  /**
   * Room for the 48 MiB request-body budget, a 16 MiB memory cache and 1,000 open streams (about
   * +27 MiB) over the working set; the heap is 60% of it.
   */
  public static final String DEFAULT_MEMORY_LIMIT = "256Mi";

  public ProxyResources {
    check("cpu request", cpuRequest);
    check("memory request", memoryRequest);
    check("cpu limit", cpuLimit);
    check("memory limit", memoryLimit);
  }

  private static void check(String what, String quantity) {
    Objects.requireNonNull(quantity, what);
    try {
      Quantity.getAmountInBytes(new Quantity(quantity));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "sidecar "
              + what
              + ": \""
              + quantity
              + "\" is not a Kubernetes quantity; expected e.g. 50m, 1, 64Mi, 256Mi");
    }
  }

  public ProxyResources withCpuRequest(String value) {
    return new ProxyResources(value, memoryRequest, cpuLimit, memoryLimit);
  }

  public ProxyResources withMemoryRequest(String value) {
    return new ProxyResources(cpuRequest, value, cpuLimit, memoryLimit);
  }

  public ProxyResources withCpuLimit(String value) {
    return new ProxyResources(cpuRequest, memoryRequest, value, memoryLimit);
  }

  public ProxyResources withMemoryLimit(String value) {
    return new ProxyResources(cpuRequest, memoryRequest, cpuLimit, value);
  }

  public static ProxyResources defaults() {
    return new ProxyResources(
        DEFAULT_CPU_REQUEST, DEFAULT_MEMORY_REQUEST, DEFAULT_CPU_LIMIT, DEFAULT_MEMORY_LIMIT);
  }
}
