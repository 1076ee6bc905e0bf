package ai.holysheep.k8s.e2e.soak;

import ai.holysheep.k8s.e2e.chaos.ChaosRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished soak: every sample, the faults played, the load's totals and one fitted line per
 * {@link SoakSeries}. It passes when every series is flat and the sidecar is still alive. Written
 * as {@code soak.json} and {@code soak.md}.
 */
public final class SoakReport {
  private final SoakOptions options;
  private final List<Sample> samples;
  private final List<SoakRun.FaultEvent> faults;
  private final LoadWindow.Counts total;
  private final long maxLagMillis;
  private final boolean sidecarAlive;
  private final String sidecarJvm;
  private final List<Slope> slopes = new ArrayList<>();
  private final String finishedAt = Instant.now().toString();
  private final String machineLoad = ChaosRun.loadAverage();

  SoakReport(
      SoakOptions options,
      List<Sample> samples,
      List<SoakRun.FaultEvent> faults,
      LoadWindow.Counts total,
      long maxLagMillis,
      boolean sidecarAlive,
      String sidecarJvm) {
    this.sidecarJvm = sidecarJvm;
    this.options = options;
    this.samples = List.copyOf(samples);
    this.faults = List.copyOf(faults);
    this.total = total;
    this.maxLagMillis = maxLagMillis;
    this.sidecarAlive = sidecarAlive;
    List<Sample> fitted =
        this.samples.subList(
            Math.min(options.warmupSamples(), this.samples.size()), this.samples.size());
    for (SoakSeries series : SoakSeries.values()) {
      slopes.add(Slope.fit(series, fitted));
    }
  }

  public boolean passed() {
    return sidecarAlive && slopes.stream().allMatch(Slope::flat);
  }

  public List<Slope> slopes() {
    return slopes;
  }

  public List<Sample> samples() {
    return samples;
  }

  public LoadWindow.Counts total() {
    return total;
  }

  JsonObject toJson() {
    JsonArray sampleJson = new JsonArray();
    samples.forEach(s -> sampleJson.add(s.toJson()));
    JsonArray slopeJson = new JsonArray();
    slopes.forEach(s -> slopeJson.add(s.toJson()));
    JsonArray faultJson = new JsonArray();
    faults.forEach(
        f ->
            faultJson.add(
                new JsonObject()
                    .put("fault", f.fault().name())
                    .put("atS", f.atSeconds())
                    .put("skipped", f.skipped())));
    return new JsonObject()
        .put("finishedAt", finishedAt)
        .put("passed", passed())
        .put("ratePerSecond", options.ratePerSecond())
        .put("durationS", options.duration().toSeconds())
        .put("sampleEveryS", options.sampleEvery().toSeconds())
        .put("warmupSamplesExcluded", options.warmupSamples())
        .put("machineLoadAtEnd", machineLoad)
        .put("maxSendLagMs", maxLagMillis)
        .put("sidecarAlive", sidecarAlive)
        .put("sidecarJvm", sidecarJvm)
        .put("load", total.toJson())
        .put("faults", faultJson)
        .put("slopes", slopeJson)
        .put("samples", sampleJson);
  }

  String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("Soak finished ")
        .append(finishedAt)
        .append(": ")
        .append(options.ratePerSecond())
        .append(" req/s offered for ")
        .append(options.duration().toMinutes())
        .append(" min (half streamed), a fault every ")
        .append(options.faultEvery().toSeconds())
        .append(" s, samples every ")
        .append(options.sampleEvery().toSeconds())
        .append(" s (the first ")
        .append(options.warmupSamples())
        .append(" left out of the fit); load average at the end ")
        .append(machineLoad)
        .append(", max send lag ")
        .append(maxLagMillis)
        .append(" ms. Result: **")
        .append(passed() ? "PASS" : "FAIL")
        .append("**")
        .append(sidecarAlive ? "" : " (the sidecar died)")
        .append(".\n\n");
    md.append("Sidecar JVM: ").append(sidecarJvm).append(".\n\n");
    md.append("Requests: ")
        .append(total.sent())
        .append(" sent, ")
        .append(total.failed())
        .append(" not successful ")
        .append(total.toJson().getJsonObject("verdicts").encode())
        .append(".\n\n");
    md.append(
        "| series | mean | slope per minute | growth over the fit | allowed | verdict |\n|---|---:|---:|---:|---:|---|\n");
    for (Slope s : slopes) {
      md.append("| ")
          .append(s.series().title())
          .append(s.series().unit().isEmpty() ? "" : " (" + s.series().unit() + ")")
          .append(" | ")
          .append(Slope.round(s.mean()))
          .append(" | ")
          .append(Slope.round(s.perMinute()))
          .append(" | ")
          .append(Slope.round(s.growth()))
          .append(" | ")
          .append(Slope.round(s.allowed()))
          .append(" | ")
          .append(s.points() < 2 ? "**too few samples**" : s.flat() ? "flat" : "**grows**")
          .append(" |\n");
    }
    md.append("\nFaults: ");
    faults.forEach(
        f ->
            md.append(
                String.format(
                    "+%.0fs %s%s; ",
                    f.atSeconds(), f.fault().name(), f.skipped() == null ? "" : " (skipped)")));
    md.append(
        "\n\n| t (s) | RSS MiB | heap after GC MiB | fds | conns primary | conns fallback | app conns | event loop ms | sent | failed | JSON p50/p99 ms |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Sample s : samples) {
      md.append(
          String.format(
              "| %.0f | %.1f | %.1f | %d | %d | %d | %d | %.2f | %d | %d | %d/%d |%n",
              s.atSeconds(),
              s.rssMib(),
              s.heapAfterGcMib(),
              s.openFds(),
              s.primaryConnections(),
              s.fallbackConnections(),
              s.appConnections(),
              s.eventLoopDelayMs(),
              s.window().sent(),
              s.window().failed(),
              s.window().jsonP50Ms(),
              s.window().jsonP99Ms()));
    }
    return md.toString();
  }

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("soak.json"), toJson().encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("soak.md"), toMarkdown(), StandardCharsets.UTF_8);
  }
}
