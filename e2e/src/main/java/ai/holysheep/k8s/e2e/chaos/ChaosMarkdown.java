package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The report as Markdown: what docs/RELIABILITY.md records for a run. */
final class ChaosMarkdown {
  /** A warm-up median above this says the sidecar could not keep up before any fault. */
  static final long SATURATED_P50_MS = 1000;

  private ChaosMarkdown() {}

  /**
   * Healthy upstreams, yet a median above {@link #SATURATED_P50_MS} or a p99 above the sidecar's
   * {@code timeout}: requests queued for the CPU before any fault.
   */
  static boolean saturated(JsonObject warm, JsonObject json) {
    long timeoutMs =
        Long.parseLong(json.getJsonObject("sidecar").getString("timeout").replace("ms", ""));
    return warm.getLong("p50Ms") > SATURATED_P50_MS || warm.getLong("p99Ms") > timeoutMs;
  }

  static String render(ChaosReport report, JsonObject json) {
    StringBuilder md = new StringBuilder();
    md.append(
        "Run `%s` at %s: %d req/s offered for %s s (%d%% streamed), max send lag %d ms, load average %s. Result: **%s**.\n\n"
            .formatted(
                json.getString("runId"),
                json.getString("startedAt"),
                json.getInteger("ratePerSecond"),
                json.getDouble("loadSeconds"),
                Math.round(json.getDouble("streamShare") * 100),
                json.getLong("maxSendLagMs"),
                json.getString("machineLoad"),
                report.passed() ? "PASS" : "FAIL"));
    JsonObject warm = json.getJsonArray("phases").getJsonObject(0);
    md.append(
        "Before any fault (upstreams healthy): p50 %d ms, p99 %d ms from sending to the end of the answer."
            .formatted(warm.getLong("p50Ms"), warm.getLong("p99Ms")));
    if (saturated(warm, json)) {
      md.append(
          " **The sidecar was saturated before any fault** (a stream takes about 150 ms when it is"
              + " not): the machine could not give it the CPU for this rate, and what follows measures"
              + " that as much as fault handling.");
    }
    JsonObject stall = json.getJsonObject("longestStallWithoutAnAnswer");
    JsonObject poll = json.getJsonObject("slowestStatusPoll");
    md.append(
        (" Longest stretch in which no answer ended while requests were in flight: %d ms from +%s s;"
                + " the sidecar's slowest `/status` answer (same event loop as the proxy): %d ms at"
                + " +%s s.\n\n")
            .formatted(
                stall.getLong("ms"),
                stall.getDouble("atS"),
                poll.getLong("ms"),
                poll.getDouble("atS")));
    int jsonSent = sum(json.getJsonObject("json"));
    int jsonOk = report.count(false, Verdict.OK);
    int streams = sum(json.getJsonObject("streams"));
    int completed = report.count(true, Verdict.COMPLETED);
    int errorEvent = report.count(true, Verdict.ERROR_EVENT);
    md.append("| | sent | ok | failed |\n|---|---:|---:|---:|\n")
        .append("| JSON chats | %d | %d | %d |\n".formatted(jsonSent, jsonOk, jsonSent - jsonOk))
        .append(
            "| streamed chats | %d | %d completed with [DONE] | %d ended with the error event, %d otherwise |\n\n"
                .formatted(streams, completed, errorEvent, streams - completed - errorEvent));
    md.append(
        ("Verdicts: JSON %s, streams %s.\n"
                + "JSON calls the primary cut mid-answer, ended with an explicit error and not replayed: %d.\n"
                + "Requests that reached two upstreams, by the primary fault they met: %s (\"\" = none: a"
                + " double send). Upstream logs, requests counted and dropped unread: %s.\n\n")
            .formatted(
                json.getJsonObject("json").encode(),
                json.getJsonObject("streams").encode(),
                json.getInteger("jsonCutMidAnswer"),
                json.getJsonObject("reachedTwoUpstreams").encode(),
                json.getJsonObject("upstreamLogs").encode()));
    md.append(
        "| phase | fault on–off (s) | sent | JSON ok/failed | streams done/error event/other | to 2 upstreams | breaker opened after | closed after fault end | not back on primary |\n");
    md.append("|---|---|---:|---|---|---:|---:|---:|---:|\n");
    JsonArray phases = json.getJsonArray("phases");
    for (int i = 0; i < phases.size(); i++) {
      md.append(phaseRow(phases.getJsonObject(i)));
    }
    md.append("\nBreaker transitions (s since the load started): ");
    JsonArray transitions = json.getJsonArray("breakerTransitions");
    for (int i = 0; i < transitions.size(); i++) {
      JsonObject t = transitions.getJsonObject(i);
      md.append(i == 0 ? "" : "; ")
          .append(
              "%s %s→%s %s"
                  .formatted(
                      t.getString("upstream"),
                      t.getString("from"),
                      t.getString("to"),
                      t.getDouble("atS")));
    }
    JsonObject counters = json.getJsonObject("sidecarCounters");
    double cpu = json.getDouble("sidecarCpuSeconds");
    double load = json.getDouble("loadSeconds");
    md.append(
        (".\n\nThe sidecar's own counters at the end: attempts %s; failovers %s.\n"
                + "\nSidecar JVM: %s; it used %s s of CPU over the %s s of load (%d%% of a core).\n"
                + "\nSidecar timing: %s.\n\n")
            .formatted(
                counters.getJsonObject("holysheep_upstream_attempts_total").encode(),
                counters.getJsonObject("holysheep_failovers_total").encode(),
                json.getString("sidecarJvm"),
                cpu,
                load,
                Math.round(100 * cpu / load),
                json.getJsonObject("sidecar").encode()));
    if (report.passed()) {
      md.append("No broken expectations.\n");
    } else {
      md.append("Broken expectations:\n\n```\n")
          .append(report.violations().describe())
          .append("```\n");
    }
    return md.toString();
  }

  private static String phaseRow(JsonObject p) {
    boolean fault = p.containsKey("fault");
    return "| %s%s | %s | %d | %d/%d | %d/%d/%d | %d | %s | %s | %s |\n"
        .formatted(
            p.getString("phase"),
            p.getString("skipped") != null ? " (skipped)" : "",
            fault ? p.getDouble("faultOnS") + "–" + p.getDouble("faultOffS") : "—",
            p.getInteger("sent"),
            p.getInteger("jsonOk"),
            p.getInteger("jsonFailed"),
            p.getInteger("streamsCompleted"),
            p.getInteger("streamsErrorEvent"),
            p.getInteger("streamsOther"),
            p.getInteger("reachedTwoUpstreams"),
            fault ? ms(p.getLong("breakerOpenedAfterMs")) : "—",
            fault ? ms(p.getLong("breakerClosedAfterMs")) : "—",
            fault ? String.valueOf(p.getInteger("notBackOnPrimary")) : "—");
  }

  private static String ms(long value) {
    return value < 0 ? "—" : value + " ms";
  }

  private static int sum(JsonObject counts) {
    int total = 0;
    for (String key : counts.fieldNames()) {
      total += counts.getInteger(key);
    }
    return total;
  }
}
