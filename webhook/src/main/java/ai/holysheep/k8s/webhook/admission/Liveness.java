package ai.holysheep.k8s.webhook.admission;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Named liveness checks for {@code /healthz}: each fails only for a state the process cannot leave
 * by itself (an informer that stopped for good, an admission worker stuck far beyond any API server
 * timeout), so a restart is the repair. An API server outage or a missing CRD is not such a state:
 * it shows in {@code /readyz} and heals when the cause goes away.
 */
public final class Liveness {
  private final Map<String, Supplier<Optional<String>>> checks = new LinkedHashMap<>();

  public synchronized Liveness add(String name, Supplier<Optional<String>> failure) {
    checks.put(name, failure);
    return this;
  }

  /** What is broken beyond self-repair, by check name; empty when alive. */
  public synchronized Map<String, String> failures() {
    Map<String, String> failed = new LinkedHashMap<>();
    checks.forEach((name, check) -> check.get().ifPresent(reason -> failed.put(name, reason)));
    return failed;
  }
}
