package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The sidecar's own view of a run, from its {@code /metrics} at the end: attempts per upstream and
 * result, failovers per reason, app requests per outcome. Reported beside the accounting (which
 * trusts only the upstreams' logs), so a disagreement is visible.
 */
final class SidecarCounters {
  static final List<String> FAMILIES =
      List.of(
          "holysheep_upstream_attempts_total",
          "holysheep_failovers_total",
          "holysheep_requests_total");

  private SidecarCounters() {}

  /** {family: {"label=value,…": count}} for the non-zero series of {@link #FAMILIES}. */
  static JsonObject parse(String prometheusText) {
    JsonObject families = new JsonObject();
    for (String family : FAMILIES) {
      families.put(family, new JsonObject());
    }
    for (String line : prometheusText.split("\n")) {
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (line.startsWith("#") || brace < 0 || space < brace) {
        continue;
      }
      String family = line.substring(0, brace);
      double value = Double.parseDouble(line.substring(space + 1));
      if (families.containsKey(family) && value > 0) {
        String labels = line.substring(brace + 1, line.lastIndexOf('}')).replace("\"", "");
        families.getJsonObject(family).put(labels, (long) value);
      }
    }
    return families;
  }
}
