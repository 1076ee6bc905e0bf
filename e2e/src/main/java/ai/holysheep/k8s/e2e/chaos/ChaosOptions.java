package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a chaos run needs: the offered load, the fault schedule, the sidecar's timing config
 * (short, so a schedule fits in a minute) and the tolerances the breaker checks allow on a busy
 * machine. {@link #full()} is {@code make chaos}; {@link #subset()} is the {@code make test} run.
 */
public record ChaosOptions(
    int ratePerSecond,
    double streamShare,
    List<Phase> schedule,
    Duration prewarm,
    Duration warmup,
    Duration observe,
    Duration tail,
    Duration tolerance,
    Duration requestBound,
    SidecarTiming sidecar,
    Path outDir,
    Path sidecarJar,
    Path simulatorJar) {

  /** {@code make chaos}: offered load in requests per second. */
  public static final int FULL_RATE_PER_SECOND = 200;

  /** The {@code make test} subset: a light load, because five builds may share two cores. */
  public static final int SUBSET_RATE_PER_SECOND = 40;

  /** Share of requests that are streamed chats (the rest are JSON chats). */
  public static final double DEFAULT_STREAM_SHARE = 0.5;

  /** Closed-loop warm-up of the JVMs before the measured run (not checked, see {@code Warmer}). */
  public static final Duration DEFAULT_PREWARM = Duration.ofSeconds(20);

  /** The subset's warm-up: its load is light, so less compilation matters before it. */
  public static final Duration SUBSET_PREWARM = Duration.ofSeconds(4);

  /** Healthy traffic before the first fault. */
  public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(3);

  /**
   * {@code make chaos}'s healthy stretch: the open-loop rate rises over its first 5 s (a cold JIT
   * on one processor falls behind a full rate at once and then measures its backlog), then 3 s at
   * the full rate before the first fault.
   */
  public static final Duration FULL_WARMUP = Duration.ofSeconds(8);

  /** How long each fault stays on in {@code make chaos}. */
  public static final Duration FULL_HOLD = Duration.ofMillis(2500);

  /** How long each fault stays on in the subset. */
  public static final Duration SUBSET_HOLD = Duration.ofSeconds(1);

  /** After the primary recovered, traffic is watched this long for its return to the primary. */
  public static final Duration DEFAULT_OBSERVE = Duration.ofSeconds(2);

  /** The subset watches the return to the primary for less: 20 requests at its rate. */
  public static final Duration SUBSET_OBSERVE = Duration.ofSeconds(1);

  /** Load continues this long after the last phase, then the generator stops. */
  public static final Duration DEFAULT_TAIL = Duration.ofSeconds(1);

  /**
   * Slack on every breaker bound (open after the fault starts, close after it ends): the processes
   * share two cores with other builds, so scheduling delays of seconds happen.
   */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(5);

  /** The load generator's own limit on one request (the sidecar's responseTimeout is lower). */
  public static final Duration DEFAULT_REQUEST_BOUND = Duration.ofSeconds(40);

  public ChaosOptions {
    if (ratePerSecond < 1 || ratePerSecond > 20_000) {
      throw new IllegalArgumentException("rate: " + ratePerSecond + " must be 1..20000 per second");
    }
    if (streamShare < 0 || streamShare > 1) {
      throw new IllegalArgumentException("streamShare: " + streamShare + " must be 0..1");
    }
    schedule = List.copyOf(schedule);
  }

  /** The sidecar settings the run writes into HOLYSHEEP_CONFIG. */
  public record SidecarTiming(
      Duration connectTimeout,
      Duration timeout,
      Duration streamIdleTimeout,
      Duration responseTimeout,
      int maxRetries,
      int failureThreshold,
      Duration resetTimeout,
      Duration healthInterval) {

    /**
     * Short enough that a fault and its recovery take seconds. {@code timeout} and {@code
     * streamIdleTimeout} stay well above the scheduling stalls of a machine whose two cores serve
     * several builds (stalls of 2-3 s were seen at a load average of 10): below that, a healthy
     * upstream's stream times out and the run measures the machine, not the sidecar.
     */
    public static SidecarTiming chaos() {
      return new SidecarTiming(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(20),
          3,
          5,
          Duration.ofSeconds(3),
          Duration.ofSeconds(1));
    }

    public JsonObject config(String primaryUrl, String fallbackUrl) {
      return new JsonObject()
          .put("baseUrl", primaryUrl)
          .put("connectTimeout", millis(connectTimeout))
          .put("timeout", millis(timeout))
          .put("streamIdleTimeout", millis(streamIdleTimeout))
          .put("responseTimeout", millis(responseTimeout))
          .put("maxRetries", maxRetries)
          .put(
              "circuitBreaker",
              new JsonObject()
                  .put("enabled", true)
                  .put("failureThreshold", failureThreshold)
                  .put("resetTimeout", millis(resetTimeout)))
          .put(
              "healthCheck",
              new JsonObject().put("enabled", true).put("interval", millis(healthInterval)))
          .put(
              "fallbacks",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("name", Topology.FALLBACK)
                          .put("baseUrl", fallbackUrl)
                          .put(
                              "apiKeySecretRef",
                              new JsonObject()
                                  .put("name", "chaos-fallback")
                                  .put("key", "api-key"))));
    }

    private static String millis(Duration duration) {
      return duration.toMillis() + "ms";
    }
  }

  /** {@code make chaos}: every fault, 200 req/s, about a minute. */
  public static ChaosOptions full() {
    List<Phase> phases = new ArrayList<>();
    for (ChaosFault fault : ChaosFault.values()) {
      phases.add(new Phase(fault, FULL_HOLD));
    }
    return base(
        FULL_RATE_PER_SECOND,
        phases,
        DEFAULT_PREWARM,
        FULL_WARMUP,
        DEFAULT_OBSERVE,
        Path.of("e2e", "target", "chaos"));
  }

  /**
   * The {@code make test} subset: a fault of each kind of effect (fails over, cut, killed), the
   * failure classes issue 8 added (529, HTML, error object, missing {@code [DONE]}): about 25 s of
   * load.
   */
  public static ChaosOptions subset(Path outDir) {
    List<Phase> phases = new ArrayList<>();
    for (ChaosFault fault :
        List.of(
            ChaosFault.SERVER_500,
            ChaosFault.KILL,
            ChaosFault.RESET_MID_STREAM,
            ChaosFault.ERROR_FIRST_EVENT,
            ChaosFault.OVERLOADED_529,
            ChaosFault.HTML_502,
            ChaosFault.NO_DONE)) {
      phases.add(new Phase(fault, SUBSET_HOLD));
    }
    return base(
        SUBSET_RATE_PER_SECOND, phases, SUBSET_PREWARM, DEFAULT_WARMUP, SUBSET_OBSERVE, outDir);
  }

  private static ChaosOptions base(
      int rate,
      List<Phase> phases,
      Duration prewarm,
      Duration warmup,
      Duration observe,
      Path outDir) {
    return new ChaosOptions(
        rate,
        DEFAULT_STREAM_SHARE,
        phases,
        prewarm,
        warmup,
        observe,
        DEFAULT_TAIL,
        DEFAULT_TOLERANCE,
        DEFAULT_REQUEST_BOUND,
        SidecarTiming.chaos(),
        outDir,
        Path.of("sidecar", "target", "holysheep-sidecar.jar"),
        Path.of("e2e", "target", "holysheep-simulator.jar"));
  }

  /** How long the open-loop rate takes to rise: the warm-up beyond its last 3 s at full rate. */
  public Duration ramp() {
    Duration ramp = warmup.minus(DEFAULT_WARMUP);
    return ramp.isNegative() ? Duration.ZERO : ramp;
  }

  public ChaosOptions withRate(int value) {
    return copy(value, schedule, outDir, sidecarJar, simulatorJar);
  }

  public ChaosOptions withSchedule(List<Phase> value) {
    return copy(ratePerSecond, value, outDir, sidecarJar, simulatorJar);
  }

  public ChaosOptions withJars(Path sidecarJarPath, Path simulatorJarPath) {
    return copy(ratePerSecond, schedule, outDir, sidecarJarPath, simulatorJarPath);
  }

  public ChaosOptions withOutDir(Path value) {
    return copy(ratePerSecond, schedule, value, sidecarJar, simulatorJar);
  }

  private ChaosOptions copy(
      int rate, List<Phase> phases, Path out, Path sidecarJarPath, Path simulatorJarPath) {
    return new ChaosOptions(
        rate,
        streamShare,
        phases,
        prewarm,
        warmup,
        observe,
        tail,
        tolerance,
        requestBound,
        sidecar,
        out,
        sidecarJarPath,
        simulatorJarPath);
  }
}
