package ai.holysheep.k8s.e2e.chaos;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a chaos schedule: {@code fault} is put on the primary for {@code hold} (for a kill:
 * the time the process stays down), then cleared.
 */
public record Phase(ChaosFault fault, Duration hold) {
  public Phase {
    Objects.requireNonNull(fault, "fault");
    if (hold == null || hold.isNegative() || hold.isZero()) {
      throw new IllegalArgumentException("hold: " + hold + " must be a positive duration");
    }
  }
}
