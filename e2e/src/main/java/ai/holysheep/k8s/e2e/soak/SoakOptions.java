package ai.holysheep.k8s.e2e.soak;

import ai.holysheep.k8s.e2e.chaos.ChaosFault;
import ai.holysheep.k8s.e2e.chaos.ChaosOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A soak: steady open-loop load for a long time with one fault a minute, the sidecar sampled at a
 * fixed interval. Defaults are {@code make soak}.
 */
public record SoakOptions(
    int ratePerSecond,
    Duration duration,
    Duration sampleEvery,
    Duration faultEvery,
    Duration faultOffset,
    Duration faultHold,
    List<ChaosFault> faults,
    int warmupSamples,
    Path outDir,
    Path sidecarJar,
    Path simulatorJar) {

  /** Offered load, requests per second (half of them streamed). */
  public static final int DEFAULT_RATE_PER_SECOND = 1000;

  public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);

  public static final Duration DEFAULT_SAMPLE_EVERY = Duration.ofSeconds(10);

  public static final Duration DEFAULT_FAULT_EVERY = Duration.ofMinutes(1);

  /** Faults start this far into each minute, so samples see both faulty and healthy stretches. */
  public static final Duration DEFAULT_FAULT_OFFSET = Duration.ofSeconds(20);

  /** How long each fault stays on (a kill: how long the primary stays down). */
  public static final Duration DEFAULT_FAULT_HOLD = Duration.ofSeconds(5);

  /** Samples left out of the fit: the first minute is JIT compilation and heap sizing. */
  public static final int DEFAULT_WARMUP_SAMPLES = 6;

  /** The faults in the order the minutes use them (cycling). */
  public static final List<ChaosFault> DEFAULT_FAULTS =
      List.of(
          ChaosFault.SERVER_500,
          ChaosFault.KILL,
          ChaosFault.RATE_LIMIT_429,
          ChaosFault.HANG,
          ChaosFault.RESET_MID_STREAM,
          ChaosFault.OVERLOADED_529,
          ChaosFault.DRIP,
          ChaosFault.ERROR_FIRST_EVENT,
          ChaosFault.HTML_502);

  public SoakOptions {
    if (ratePerSecond < 1 || ratePerSecond > 20_000) {
      throw new IllegalArgumentException("rate: " + ratePerSecond + " must be 1..20000 per second");
    }
    if (duration.compareTo(sampleEvery.multipliedBy(warmupSamples + 2)) < 0) {
      throw new IllegalArgumentException(
          "duration: " + duration + " leaves fewer than two samples after warm-up");
    }
    faults = List.copyOf(faults);
  }

  public static SoakOptions defaults() {
    return new SoakOptions(
        DEFAULT_RATE_PER_SECOND,
        DEFAULT_DURATION,
        DEFAULT_SAMPLE_EVERY,
        DEFAULT_FAULT_EVERY,
        DEFAULT_FAULT_OFFSET,
        DEFAULT_FAULT_HOLD,
        DEFAULT_FAULTS,
        DEFAULT_WARMUP_SAMPLES,
        Path.of("e2e", "target", "soak"),
        Path.of("sidecar", "target", "holysheep-sidecar.jar"),
        Path.of("e2e", "target", "holysheep-simulator.jar"));
  }

  /** The sidecar's timing during the soak: the chaos settings. */
  public ChaosOptions.SidecarTiming sidecar() {
    return ChaosOptions.SidecarTiming.chaos();
  }

  public SoakOptions withRate(int value) {
    return copy(value, duration, outDir, sidecarJar, simulatorJar);
  }

  public SoakOptions withDuration(Duration value) {
    return copy(ratePerSecond, value, outDir, sidecarJar, simulatorJar);
  }

  public SoakOptions withOutDir(Path value) {
    return copy(ratePerSecond, duration, value, sidecarJar, simulatorJar);
  }

  public SoakOptions withJars(Path sidecarJarPath, Path simulatorJarPath) {
    return copy(ratePerSecond, duration, outDir, sidecarJarPath, simulatorJarPath);
  }

  private SoakOptions copy(
      int rate, Duration length, Path out, Path sidecarJarPath, Path simulatorJarPath) {
    return new SoakOptions(
        rate,
        length,
        sampleEvery,
        faultEvery,
        faultOffset,
        faultHold,
        faults,
        warmupSamples,
        out,
        sidecarJarPath,
        simulatorJarPath);
  }
}
