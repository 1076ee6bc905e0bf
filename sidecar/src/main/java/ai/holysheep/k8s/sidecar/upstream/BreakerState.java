package ai.holysheep.k8s.sidecar.upstream;

/** Breaker states with the numbers of the {@code holysheep_circuit_state} gauge. */
public enum BreakerState {
  CLOSED(0),
  OPEN(1),
  HALF_OPEN(2);

  private final int gaugeValue;

  BreakerState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  public int gaugeValue() {
    return gaugeValue;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
