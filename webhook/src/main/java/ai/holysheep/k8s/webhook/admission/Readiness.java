package ai.holysheep.k8s.webhook.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Named readiness checks for {@code /readyz}, each saying what it still waits for; draining makes
 * the server unready at once.
 */
public final class Readiness {
  public static final String DRAINING = "draining";

  private final Map<String, Supplier<Optional<String>>> checks = new LinkedHashMap<>();
  private volatile boolean draining;

  /** {@code waiting} answers empty when ready, else what is missing (for an operator to act on). */
  public synchronized Readiness add(String name, Supplier<Optional<String>> waiting) {
    checks.put(name, waiting);
    return this;
  }

  public synchronized Readiness add(String name, BooleanSupplier ready) {
    return add(name, () -> ready.getAsBoolean() ? Optional.empty() : Optional.of("not yet"));
  }

  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** Names of the checks that do not pass yet; empty when ready. */
  public List<String> waitingFor() {
    return List.copyOf(reasons().keySet());
  }

  /** What each failing check waits for, in the order the checks were added. */
  public synchronized Map<String, String> reasons() {
    Map<String, String> waiting = new LinkedHashMap<>();
    if (draining) {
      waiting.put(DRAINING, "shutting down: endpoints are being drained");
      return waiting;
    }
    checks.forEach((name, check) -> check.get().ifPresent(reason -> waiting.put(name, reason)));
    return waiting;
  }
}
