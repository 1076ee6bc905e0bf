package ai.holysheep.k8s.e2e.bench;

import java.util.List;
import java.util.Locale;

/** The Markdown that {@code make bench} prints and docs/BENCHMARKS.md records. */
final class ReportTable {
  private static final String[] WINDOW_NAMES = {"0-15 s", "15-30 s", "30-45 s", "45-60 s"};

  /** The run's setting; {@code {key}} is a raw fact. */
  static final String HEADER =
      """
      Machine: {machine.cpus} cores ({machine.cpu}), {machine.memory_mib} MiB, kernel {machine.kernel}; \
      cgroups: {cgroups}; pod limits: cpu {pod.cpu_limit_m}m (request {pod.cpu_request_m}m), memory \
      {pod.memory_limit_mib} MiB.
      Sidecar: {sidecar.runtime}; `{sidecar.args}`.
      Baselines: nginx {nginx.version}, {tools}.
      Run: {bench.date}, commit {bench.commit}, {bench.seconds} s.
      """;

  private static final java.util.regex.Pattern PLACEHOLDER =
      java.util.regex.Pattern.compile("\\{([a-z0-9_.]+)}");

  private ReportTable() {}

  static String fill(String template, Facts facts) {
    return PLACEHOLDER
        .matcher(template)
        .replaceAll(
            m -> {
              String key = m.group(1);
              String value =
                  key.equals("pod.memory_limit_mib")
                      ? fmt("%.0f", facts.number("pod.memory_limit_bytes") / Figures.MIB)
                      : facts.text(key).trim();
              return java.util.regex.Matcher.quoteReplacement(value);
            });
  }

  static String render(Facts facts, Figures f, double windowSeconds) {
    StringBuilder md = new StringBuilder(fill(HEADER, facts));
    md.append("Load average (1/5/15 min) by phase:");
    facts
        .withPrefix("load.")
        .forEach(
            (phase, load) -> md.append(" ").append(phase).append(" ").append(load).append(";"));
    md.append("\n\n");
    md.append("| figure | sidecar | nginx | direct |\n|---|---|---|---|\n");
    row(
        md,
        "ready after process start, pod limits (ms, median)",
        ms(f, "sidecar.ready_ms.pod"),
        ms(f, "nginx.ready_ms.pod"),
        "");
    row(
        md,
        "ready after process start, one free core (ms, median)",
        ms(f, "sidecar.ready_ms.free"),
        ms(f, "nginx.ready_ms.free"),
        "");
    row(
        md,
        "CPU until ready, pod limits (ms)",
        ms(f, "sidecar.start_cpu_ms.pod"),
        ms(f, "nginx.start_cpu_ms.pod"),
        "");
    for (int w = 0;
        w < WINDOW_NAMES.length && !Double.isNaN(f.get("sidecar.first." + w + ".p99_ms"));
        w++) {
      String k = ".first." + w + ".";
      row(
          md,
          "50 req/s from ready, " + windowName(w, windowSeconds) + ": added p50 / p99 (ms)",
          added(f, "sidecar" + k + "added_p50_ms")
              + " / "
              + added(f, "sidecar" + k + "added_p99_ms"),
          added(f, "nginx" + k + "added_p50_ms") + " / " + added(f, "nginx" + k + "added_p99_ms"),
          ms(f, "sidecar" + k + "direct_p50_ms") + " / " + ms(f, "sidecar" + k + "direct_p99_ms"));
    }
    row(
        md,
        "CPU-throttled periods in that minute",
        num(f, "sidecar.first_minute.throttled_periods"),
        num(f, "nginx.first_minute.throttled_periods"),
        "");
    for (int rate : Figures.RATES) {
      String s = ".steady." + rate + ".";
      row(
          md,
          String.format(
              Locale.ROOT, "%,d req/s, one free core: added p50 / p99 / p99.9 (ms)", rate),
          added(f, "sidecar" + s + "added_p50_ms")
              + " / "
              + added(f, "sidecar" + s + "added_p99_ms")
              + " / "
              + added(f, "sidecar" + s + "added_p999_ms"),
          added(f, "nginx" + s + "added_p50_ms")
              + " / "
              + added(f, "nginx" + s + "added_p99_ms")
              + " / "
              + added(f, "nginx" + s + "added_p999_ms"),
          ms(f, "direct" + s + "p50_ms")
              + " / "
              + ms(f, "direct" + s + "p99_ms")
              + " / "
              + ms(f, "direct" + s + "p999_ms"));
    }
    for (int rate : Figures.RATES) {
      row(
          md,
          String.format(Locale.ROOT, "CPU per request at %,d req/s (us)", rate),
          num(f, "sidecar.steady." + rate + ".cpu_us_per_request"),
          num(f, "nginx.steady." + rate + ".cpu_us_per_request"),
          "");
    }
    row(
        md,
        "saturation, proxy on one core (req/s)",
        num(f, "sidecar.saturation_rps")
            + " ("
            + fmt("%.2f", f.get("sidecar.saturation_vs_nginx"))
            + "x nginx)",
        num(f, "nginx.saturation_rps"),
        num(f, "direct.saturation_rps"));
    row(
        md,
        "at rest after start: RSS / working set (MiB)",
        mem(f, "sidecar.rest"),
        mem(f, "nginx.rest"),
        "");
    row(
        md,
        "at rest after the load: RSS / working set (MiB)",
        mem(f, "sidecar.rest_after_load"),
        mem(f, "nginx.rest_after_load"),
        "");
    row(
        md,
        "with "
            + num(f, "sidecar.streams.open")
            + " / "
            + num(f, "nginx.streams.open")
            + " open streams: RSS / working set (MiB)",
        mem(f, "sidecar.streams"),
        mem(f, "nginx.streams"),
        "");
    row(
        md,
        "open streams add: working set (MiB); upstream connections held",
        fmt("%+.1f", f.get("sidecar.streams.added_working_set_mib"))
            + "; "
            + num(f, "sidecar.streams.upstream_connections"),
        fmt("%+.1f", f.get("nginx.streams.added_working_set_mib"))
            + "; "
            + num(f, "nginx.streams.upstream_connections"),
        "");
    row(
        md,
        "CPU for the first "
            + facts.text("sidecar.first_requests.count")
            + " requests, pod limits: s (us per request)",
        fmt("%.2f", f.get("sidecar.first_requests.cpu_s"))
            + " ("
            + num(f, "sidecar.first_requests.cpu_us_per_request")
            + ")",
        fmt("%.2f", f.get("nginx.first_requests.cpu_s"))
            + " ("
            + num(f, "nginx.first_requests.cpu_us_per_request")
            + ")",
        "");
    md.append("\n| target | measured | limit | status |\n|---|---|---|---|\n");
    for (Target t : Target.ISSUE_12) {
      row(
          md,
          t.text(),
          value(f.get(t.figure()), t.unit()),
          (t.atMost() ? "<= " : ">= ") + value(t.limitIn(f), t.unit()),
          status(t.judge(f)));
    }
    return md.toString();
  }

  static String status(Target.Status s) {
    return switch (s) {
      case MET -> "met";
      case MISSED -> "**missed**";
      case NOT_MEASURED -> "not measured";
    };
  }

  private static String windowName(int w, double windowSeconds) {
    return windowSeconds == 15
        ? WINDOW_NAMES[w]
        : fmt("%.0f", w * windowSeconds) + "-" + fmt("%.0f", (w + 1) * windowSeconds) + " s";
  }

  private static void row(StringBuilder md, String... cells) {
    md.append("| ").append(String.join(" | ", List.of(cells))).append(" |\n");
  }

  private static String value(double v, String unit) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    return unit.equals("x") ? fmt("%.2f", v) + "x" : fmt("%.1f", v) + " " + unit;
  }

  private static String mem(Figures f, String key) {
    return fmt("%.1f", f.get(key + ".rss_mib"))
        + " / "
        + fmt("%.1f", f.get(key + ".working_set_mib"));
  }

  private static String ms(Figures f, String key) {
    return fmt("%.1f", f.get(key));
  }

  private static String added(Figures f, String key) {
    return fmt("%+.1f", f.get(key));
  }

  private static String num(Figures f, String key) {
    return fmt("%,.0f", f.get(key));
  }

  static String fmt(String format, double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, format, v);
  }
}
