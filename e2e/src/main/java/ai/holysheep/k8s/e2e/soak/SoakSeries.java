package ai.holysheep.k8s.e2e.soak;

import java.util.function.ToDoubleFunction;

/**
 * The series a soak fits a line to, and how much growth each may show over the fitted span before
 * it counts as growth: the larger of a share of its mean and an absolute floor (the floor absorbs
 * the noise of a small series; the share, the noise of a large one). Connections are allowed more,
 * because every fault empties or refills a pool.
 */
public enum SoakSeries {
  RSS("RSS", "MiB", Sample::rssMib, 0.10, 16),
  HEAP_AFTER_GC("heap after GC", "MiB", Sample::heapAfterGcMib, 0.10, 4),
  OPEN_FDS("open file descriptors", "", Sample::openFds, 0.10, 16),
  PRIMARY_CONNECTIONS("connections to the primary", "", Sample::primaryConnections, 0.25, 16),
  FALLBACK_CONNECTIONS("connections to the fallback", "", Sample::fallbackConnections, 0.25, 16),
  APP_CONNECTIONS("app connections", "", Sample::appConnections, 0.25, 16),
  EVENT_LOOP_DELAY("event-loop delay", "ms", Sample::eventLoopDelayMs, 0.50, 5);

  private final String title;
  private final String unit;
  private final ToDoubleFunction<Sample> value;
  private final double allowedShareOfMean;
  private final double allowedFloor;

  SoakSeries(
      String title,
      String unit,
      ToDoubleFunction<Sample> value,
      double allowedShareOfMean,
      double allowedFloor) {
    this.title = title;
    this.unit = unit;
    this.value = value;
    this.allowedShareOfMean = allowedShareOfMean;
    this.allowedFloor = allowedFloor;
  }

  public String title() {
    return title;
  }

  public String unit() {
    return unit;
  }

  double valueOf(Sample sample) {
    return value.applyAsDouble(sample);
  }

  /** The growth over the fitted span this series may show and still count as flat. */
  double allowedGrowth(double mean) {
    return Math.max(allowedShareOfMean * Math.abs(mean), allowedFloor);
  }
}
