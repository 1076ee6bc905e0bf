package ai.holysheep.k8s.e2e.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's figures, by name ({@code sidecar.ready_ms.pod}, {@code
 * nginx.steady.5000.added_p99_ms}, …), computed from run.sh's raw output. "Added" latency is the
 * proxy's percentile less the direct call's percentile measured in the same run (for the first
 * minute: in the same window, at the same moment). A figure that could not be measured is NaN.
 */
final class Figures {
  static final List<String> PROXIES = List.of("sidecar", "nginx");
  static final List<Integer> RATES = List.of(1000, 5000);
  static final double MIB = 1024 * 1024;

  private final Map<String, Double> values = new LinkedHashMap<>();

  double get(String name) {
    return values.getOrDefault(name, Double.NaN);
  }

  Map<String, Double> all() {
    return values;
  }

  void put(String name, double value) {
    values.put(name, value);
  }

  /** Reads {@code raw/facts.txt} and the hey CSVs under {@code raw}. */
  static Figures compute(Path raw, Facts facts, double windowSeconds) throws IOException {
    Figures f = new Figures();
    for (String p : PROXIES) {
      for (String setting : List.of("pod", "free")) {
        f.put(p + ".ready_ms." + setting, facts.median(p + ".start." + setting, "ready_ms"));
        f.put(p + ".start_cpu_ms." + setting, facts.median(p + ".start." + setting, "cpu_ms"));
      }
      f.put(p + ".rest.rss_mib", facts.median(p + ".rest", "rss_kib") / 1024);
      f.put(p + ".rest.working_set_mib", facts.median(p + ".rest", "working_set_bytes") / MIB);
      memory(f, facts, p, "rest_after_load");
      memory(f, facts, p, "streams");
      f.put(
          p + ".streams.added_working_set_mib",
          f.get(p + ".streams.working_set_mib") - f.get(p + ".rest_after_load.working_set_mib"));
      f.put(
          p + ".streams.added_rss_mib",
          f.get(p + ".streams.rss_mib") - f.get(p + ".rest_after_load.rss_mib"));
      f.put(p + ".streams.open", facts.number(p + ".streams.open"));
      f.put(p + ".streams.upstream_connections", facts.number(p + ".streams.upstream_connections"));
      f.put(p + ".first_requests.cpu_s", facts.number(p + ".first_requests.cpu_ms") / 1000);
      f.put(
          p + ".first_minute.throttled_periods",
          facts.number(p + ".first_minute.throttled_periods"));
      firstMinute(f, raw, p, windowSeconds);
      for (int rate : RATES) {
        steady(f, raw, p, rate);
        f.put(
            p + ".steady." + rate + ".cpu_us_per_request",
            facts.number(p + ".steady." + rate + ".cpu_ms")
                * 1000
                / f.get(p + ".steady." + rate + ".count"));
      }
      f.put(
          p + ".first_requests.cpu_us_per_request",
          facts.number(p + ".first_requests.cpu_ms")
              * 1000
              / facts.number(p + ".first_requests.count"));
      f.put(p + ".saturation_rps", facts.number(p + ".saturation.rps"));
    }
    f.put("direct.saturation_rps", facts.number("direct.saturation.rps"));
    f.put(
        "sidecar.saturation_vs_nginx",
        f.get("sidecar.saturation_rps") / f.get("nginx.saturation_rps"));
    return f;
  }

  private static void memory(Figures f, Facts facts, String p, String key) {
    f.put(p + "." + key + ".rss_mib", facts.number(p + "." + key + ".rss_kib") / 1024);
    f.put(
        p + "." + key + ".working_set_mib",
        facts.number(p + "." + key + ".working_set_bytes") / MIB);
  }

  private static void firstMinute(Figures f, Path raw, String p, double window) throws IOException {
    LatencySamples proxied = LatencySamples.read(raw.resolve("first-" + p + ".csv"));
    LatencySamples direct = LatencySamples.read(raw.resolve("first-" + p + "-direct.csv"));
    f.put(p + ".first.failed", proxied.failed());
    for (int w = 0; w * window < 600; w++) {
      LatencySamples pw = proxied.window(w * window, (w + 1) * window);
      LatencySamples dw = direct.window(w * window, (w + 1) * window);
      if (pw.count() == 0) {
        break;
      }
      String key = p + ".first." + w;
      for (double pct : new double[] {50, 99}) {
        String name = pct == 50 ? "p50" : "p99";
        f.put(key + "." + name + "_ms", pw.percentileMs(pct));
        f.put(key + ".direct_" + name + "_ms", dw.percentileMs(pct));
        f.put(key + ".added_" + name + "_ms", pw.percentileMs(pct) - dw.percentileMs(pct));
      }
    }
  }

  private static void steady(Figures f, Path raw, String p, int rate) throws IOException {
    LatencySamples proxied = LatencySamples.read(raw.resolve("steady-" + rate + "-" + p + ".csv"));
    LatencySamples direct = LatencySamples.read(raw.resolve("steady-" + rate + "-direct.csv"));
    String key = p + ".steady." + rate;
    f.put(key + ".failed", proxied.failed());
    f.put(key + ".count", proxied.count() + proxied.failed());
    f.put("direct.steady." + rate + ".failed", direct.failed());
    for (double pct : new double[] {50, 99, 99.9}) {
      String name = pct == 50 ? "p50" : pct == 99 ? "p99" : "p999";
      f.put(key + "." + name + "_ms", proxied.percentileMs(pct));
      f.put("direct.steady." + rate + "." + name + "_ms", direct.percentileMs(pct));
      f.put(key + ".added_" + name + "_ms", proxied.percentileMs(pct) - direct.percentileMs(pct));
    }
  }
}
