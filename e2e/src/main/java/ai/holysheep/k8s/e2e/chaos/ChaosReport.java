package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a chaos run: totals, per-phase counts and breaker times, requests that reached two
 * upstreams and why, and every broken expectation. Written as {@code report.json}, {@code
 * report.md} (the table docs/RELIABILITY.md quotes) and {@code outcomes.jsonl} (one line per
 * request).
 */
public final class ChaosReport {
  private final ChaosAnalysis.Inputs in;
  private final List<PhaseStats> phases;
  private final List<BreakerSampler.Transition> loggedTransitions;
  private final Map<String, Integer> multiUpstreamReasons;
  private final int jsonCut;
  private final Map<String, Long> counted;
  private final Map<String, Long> lost;
  private final Violations violations;
  private final Stall stall;
  private final Map<Verdict, Integer> jsonVerdicts = new EnumMap<>(Verdict.class);
  private final Map<Verdict, Integer> streamVerdicts = new EnumMap<>(Verdict.class);

  ChaosReport(
      ChaosAnalysis.Inputs in,
      List<PhaseStats> phases,
      List<BreakerSampler.Transition> loggedTransitions,
      Accounting accounting,
      Map<String, Long> counted,
      Map<String, Long> lost,
      Violations violations) {
    this.in = in;
    this.phases = phases;
    this.loggedTransitions = loggedTransitions;
    this.multiUpstreamReasons = accounting.multiUpstreamReasons;
    this.jsonCut = accounting.jsonCut;
    this.counted = counted;
    this.lost = lost;
    this.violations = violations;
    this.stall = Stall.longest(in.outcomes());
    for (RequestOutcome o : in.outcomes()) {
      (o.stream() ? streamVerdicts : jsonVerdicts).merge(o.verdict(), 1, Integer::sum);
    }
  }

  public boolean passed() {
    return violations.isEmpty();
  }

  public Violations violations() {
    return violations;
  }

  public int sent() {
    return in.outcomes().size();
  }

  public int count(boolean stream, Verdict verdict) {
    return (stream ? streamVerdicts : jsonVerdicts).getOrDefault(verdict, 0);
  }

  public int reachedTwoUpstreams() {
    return multiUpstreamReasons.values().stream().mapToInt(Integer::intValue).sum();
  }

  public JsonObject toJson() {
    JsonArray phaseJson = new JsonArray();
    phases.forEach(p -> phaseJson.add(p.toJson(in.runStart())));
    JsonArray transitions = new JsonArray();
    // the sidecar's log has every transition at its exact time; /status polls only what they saw
    List<BreakerSampler.Transition> shown =
        loggedTransitions.isEmpty() ? in.sampler().transitions() : loggedTransitions;
    for (BreakerSampler.Transition t : shown) {
      transitions.add(
          new JsonObject()
              .put("upstream", t.upstream())
              .put("atS", PhaseStats.seconds(t.at() - in.runStart()))
              .put("from", t.from())
              .put("to", t.to()));
    }
    ChaosOptions o = in.options();
    return new JsonObject()
        .put("runId", in.runId())
        .put("startedAt", Instant.ofEpochMilli(in.runStart()).toString())
        .put("passed", passed())
        .put("ratePerSecond", o.ratePerSecond())
        .put("streamShare", o.streamShare())
        .put("loadSeconds", PhaseStats.seconds(in.loadEnd() - in.runStart()))
        .put("maxSendLagMs", in.maxLagMillis())
        .put("machineLoad", in.machineLoad())
        .put("sent", sent())
        .put("json", verdicts(jsonVerdicts))
        .put("jsonCutMidAnswer", jsonCut)
        .put("streams", verdicts(streamVerdicts))
        .put("reachedTwoUpstreams", new JsonObject(Map.copyOf(multiUpstreamReasons)))
        .put(
            "upstreamLogs",
            new JsonObject()
                .put("counted", new JsonObject(Map.copyOf(counted)))
                .put("lostUnread", new JsonObject(Map.copyOf(lost))))
        .put("sidecar", sidecarJson())
        .put("sidecarCounters", in.sidecarCounters())
        .put("sidecarJvm", in.sidecarJvm())
        .put("sidecarCpuSeconds", Math.round(in.sidecarCpuSeconds() * 10) / 10.0)
        .put("statusPolls", in.sampler().polls())
        .put("failedStatusPolls", in.sampler().failedPolls())
        .put(
            "slowestStatusPoll",
            stretch(in.sampler().slowestPollAt(), in.sampler().slowestPollMillis()))
        .put("longestStallWithoutAnAnswer", stretch(stall.from(), stall.millis()))
        .put("phases", phaseJson)
        .put("breakerTransitions", transitions)
        .put("violations", violations.toJson());
  }

  /** A stretch of the run: where it began (s since the load started) and how long it lasted. */
  private JsonObject stretch(long from, long millis) {
    return new JsonObject()
        .put("atS", millis == 0 ? 0 : PhaseStats.seconds(from - in.runStart()))
        .put("ms", millis);
  }

  private JsonObject sidecarJson() {
    ChaosOptions.SidecarTiming t = in.options().sidecar();
    return new JsonObject()
        .put("timeout", t.timeout().toMillis() + "ms")
        .put("streamIdleTimeout", t.streamIdleTimeout().toMillis() + "ms")
        .put("failureThreshold", t.failureThreshold())
        .put("resetTimeout", t.resetTimeout().toMillis() + "ms")
        .put("healthCheckInterval", t.healthInterval().toMillis() + "ms")
        .put("toleranceMs", in.options().tolerance().toMillis())
        .put("closeBoundMs", in.closeBound().toMillis());
  }

  private static JsonObject verdicts(Map<Verdict, Integer> counts) {
    JsonObject json = new JsonObject();
    counts.forEach((v, n) -> json.put(v.name(), n));
    return json;
  }

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("report.json"), toJson().encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("report.md"), ChaosMarkdown.render(this, toJson()), StandardCharsets.UTF_8);
    StringBuilder lines = new StringBuilder();
    in.outcomes().forEach(o -> lines.append(o.toJson().encode()).append('\n'));
    Files.writeString(dir.resolve("outcomes.jsonl"), lines, StandardCharsets.UTF_8);
  }
}
