package ai.holysheep.k8s.e2e.bench;

import java.util.List;

/**
 * A target of issue 12, as data: the figure it judges, the comparison and the limit (a constant, or
 * another figure of the same run plus a margin). Every target judges the sidecar.
 *
 * @param text what the report prints
 * @param figure the measured figure's name (see {@link Figures})
 * @param atMost true: met when measured &lt;= limit; false: met when measured &gt;= limit
 * @param relativeTo a figure the limit is added to, or null for a constant limit
 * @param limit the constant, or the margin over {@code relativeTo}
 * @param unit unit of figure and limit
 */
record Target(
    String text, String figure, boolean atMost, String relativeTo, double limit, String unit) {

  /** The targets of issue 12 ("all in the same run, pod limits unless said"). */
  static final List<Target> ISSUE_12 =
      List.of(
          new Target(
              "ready after process start, pod limits",
              "sidecar.ready_ms.pod",
              true,
              null,
              1000,
              "ms"),
          new Target(
              "ready after process start, one free core",
              "sidecar.ready_ms.free",
              true,
              null,
              500,
              "ms"),
          new Target(
              "first 15 s after ready at 50 req/s: added p99",
              "sidecar.first.0.added_p99_ms",
              true,
              null,
              10,
              "ms"),
          new Target(
              "1k req/s, one free core: added p99",
              "sidecar.steady.1000.added_p99_ms",
              true,
              null,
              1,
              "ms"),
          new Target(
              "5k req/s, one free core: added p99 at most nginx's + 0.5 ms",
              "sidecar.steady.5000.added_p99_ms",
              true,
              "nginx.steady.5000.added_p99_ms",
              0.5,
              "ms"),
          new Target(
              "saturation on one core, as a ratio to nginx",
              "sidecar.saturation_vs_nginx",
              false,
              null,
              1.0,
              "x"),
          new Target("at rest: working set", "sidecar.rest.working_set_mib", true, null, 48, "MiB"),
          new Target("at rest: RSS", "sidecar.rest.rss_mib", true, null, 64, "MiB"),
          new Target(
              "1,000 open streams add (working set)",
              "sidecar.streams.added_working_set_mib",
              true,
              null,
              64,
              "MiB"));

  enum Status {
    MET,
    MISSED,
    NOT_MEASURED
  }

  double limitIn(Figures figures) {
    return relativeTo == null ? limit : figures.get(relativeTo) + limit;
  }

  Status judge(Figures figures) {
    double measured = figures.get(figure);
    double bound = limitIn(figures);
    if (Double.isNaN(measured) || Double.isNaN(bound)) {
      return Status.NOT_MEASURED;
    }
    return (atMost ? measured <= bound : measured >= bound) ? Status.MET : Status.MISSED;
  }
}
