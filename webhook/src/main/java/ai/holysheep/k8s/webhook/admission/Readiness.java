package ai.holysheep.k8s.webhook.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Named readiness checks for {@code /readyz}; draining makes the server unready at once. */
public final class Readiness {
  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
  private volatile boolean draining;

  public synchronized Readiness add(String name, BooleanSupplier check) {
    checks.put(name, check);
    return this;
  }

  public void startDraining() {
    draining = true;
  }

  /** Names of the checks that do not pass yet; empty when ready. */
  public synchronized List<String> waitingFor() {
    if (draining) {
      return List.of("draining");
    }
    return checks.entrySet().stream()
        .filter(e -> !e.getValue().getAsBoolean())
        .map(Map.Entry::getKey)
        .toList();
  }
}
