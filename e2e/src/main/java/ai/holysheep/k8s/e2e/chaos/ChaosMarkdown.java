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
    md.append("Run `")
        .append(json.getString("runId"))
        .append("` at ")
        .append(json.getString("startedAt"))
        .append(": ")
        .append(json.getInteger("ratePerSecond"))
        .append(" req/s offered for ")
        .append(json.getDouble("loadSeconds"))
        .append(" s (")
        .append(Math.round(json.getDouble("streamShare") * 100))
        .append("% streamed), max send lag ")
        .append(json.getLong("maxSendLagMs"))
        .append(" ms, load average ")
        .append(json.getString("machineLoad"))
        .append(". Result: **")
        .append(report.passed() ? "PASS" : "FAIL")
        .append("**.\n\n");
    JsonObject warm = json.getJsonArray("phases").getJsonObject(0);
    md.append("Before any fault (upstreams healthy): p50 ")
        .append(warm.getLong("p50Ms"))
        .append(" ms, p99 ")
        .append(warm.getLong("p99Ms"))
        .append(" ms from sending to the end of the answer.");
    if (saturated(warm, json)) {
      md.append(
          " **The sidecar was saturated before any fault** (a stream takes about 150 ms when it is"
              + " not): the machine could not give it the CPU for this rate, and what follows measures"
              + " that as much as fault handling.");
    }
    JsonObject stall = json.getJsonObject("longestStallWithoutAnAnswer");
    JsonObject poll = json.getJsonObject("slowestStatusPoll");
    md.append(" Longest stretch in which no answer ended while requests were in flight: ")
        .append(stall.getLong("ms"))
        .append(" ms from +")
        .append(stall.getDouble("atS"))
        .append(" s; the sidecar's slowest `/status` answer (same event loop as the proxy): ")
        .append(poll.getLong("ms"))
        .append(" ms at +")
        .append(poll.getDouble("atS"))
        .append(" s.");
    md.append("\n\n");
    md.append("| | sent | ok | failed |\n|---|---:|---:|---:|\n");
    int jsonSent = sum(json.getJsonObject("json"));
    int jsonOk = report.count(false, Verdict.OK);
    md.append("| JSON chats | ")
        .append(jsonSent)
        .append(" | ")
        .append(jsonOk)
        .append(" | ")
        .append(jsonSent - jsonOk)
        .append(" |\n");
    int streams = sum(json.getJsonObject("streams"));
    int completed = report.count(true, Verdict.COMPLETED);
    int errorEvent = report.count(true, Verdict.ERROR_EVENT);
    md.append("| streamed chats | ")
        .append(streams)
        .append(" | ")
        .append(completed)
        .append(" completed with [DONE] | ")
        .append(errorEvent)
        .append(" ended with the error event, ")
        .append(streams - completed - errorEvent)
        .append(" otherwise |\n\n");
    md.append("Verdicts: JSON ")
        .append(json.getJsonObject("json").encode())
        .append(", streams ")
        .append(json.getJsonObject("streams").encode())
        .append(".\n");
    md.append(
            "JSON calls the primary cut mid-answer, ended with an explicit error and not replayed: ")
        .append(json.getInteger("jsonCutMidAnswer"))
        .append(".\n");
    md.append("Requests that reached two upstreams, by the primary fault they met: ")
        .append(json.getJsonObject("reachedTwoUpstreams").encode())
        .append(
            " (\"\" = none: a double send). Upstream logs, requests counted and dropped unread: ")
        .append(json.getJsonObject("upstreamLogs").encode())
        .append(".\n\n");
    md.append(
        "| phase | fault on–off (s) | sent | JSON ok/failed | streams done/error event/other | to 2 upstreams | breaker opened after | closed after fault end | not back on primary |\n");
    md.append("|---|---|---:|---|---|---:|---:|---:|---:|\n");
    JsonArray phases = json.getJsonArray("phases");
    for (int i = 0; i < phases.size(); i++) {
      JsonObject p = phases.getJsonObject(i);
      boolean fault = p.containsKey("fault");
      md.append("| ").append(p.getString("phase"));
      if (p.getString("skipped") != null) {
        md.append(" (skipped)");
      }
      md.append(" | ")
          .append(fault ? p.getDouble("faultOnS") + "–" + p.getDouble("faultOffS") : "—")
          .append(" | ")
          .append(p.getInteger("sent"))
          .append(" | ")
          .append(p.getInteger("jsonOk"))
          .append('/')
          .append(p.getInteger("jsonFailed"))
          .append(" | ")
          .append(p.getInteger("streamsCompleted"))
          .append('/')
          .append(p.getInteger("streamsErrorEvent"))
          .append('/')
          .append(p.getInteger("streamsOther"))
          .append(" | ")
          .append(p.getInteger("reachedTwoUpstreams"))
          .append(" | ")
          .append(fault ? ms(p.getLong("breakerOpenedAfterMs")) : "—")
          .append(" | ")
          .append(fault ? ms(p.getLong("breakerClosedAfterMs")) : "—")
          .append(" | ")
          .append(fault ? p.getInteger("notBackOnPrimary") : "—")
          .append(" |\n");
    }
    md.append("\nBreaker transitions (s since the load started): ");
    JsonArray transitions = json.getJsonArray("breakerTransitions");
    for (int i = 0; i < transitions.size(); i++) {
      JsonObject t = transitions.getJsonObject(i);
      md.append(i == 0 ? "" : "; ")
          .append(t.getString("upstream"))
          .append(' ')
          .append(t.getString("from"))
          .append("→")
          .append(t.getString("to"))
          .append(' ')
          .append(t.getDouble("atS"));
    }
    md.append(".\n");
    JsonObject counters = json.getJsonObject("sidecarCounters");
    md.append("\nThe sidecar's own counters at the end: attempts ")
        .append(counters.getJsonObject("holysheep_upstream_attempts_total").encode())
        .append("; failovers ")
        .append(counters.getJsonObject("holysheep_failovers_total").encode())
        .append(".\n");
    md.append("\nSidecar JVM: ")
        .append(json.getString("sidecarJvm"))
        .append("; it used ")
        .append(json.getDouble("sidecarCpuSeconds"))
        .append(" s of CPU over the ")
        .append(json.getDouble("loadSeconds"))
        .append(" s of load (")
        .append(
            Math.round(100 * json.getDouble("sidecarCpuSeconds") / json.getDouble("loadSeconds")))
        .append("% of a core).\n");
    md.append("\nSidecar timing: ").append(json.getJsonObject("sidecar").encode()).append(".\n\n");
    if (report.passed()) {
      md.append("No broken expectations.\n");
    } else {
      md.append("Broken expectations:\n\n```\n")
          .append(report.violations().describe())
          .append("```\n");
    }
    return md.toString();
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
