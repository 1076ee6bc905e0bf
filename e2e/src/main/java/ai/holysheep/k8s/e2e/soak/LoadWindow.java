package ai.holysheep.k8s.e2e.soak;

import ai.holysheep.k8s.e2e.chaos.RequestOutcome;
import ai.holysheep.k8s.e2e.chaos.Verdict;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Outcomes of a long load, summed per window (a soak sends too many requests to keep each one):
 * verdicts and the latency of successful JSON calls; {@link #roll()} closes a window and adds it to
 * the totals.
 */
public final class LoadWindow {
  private final Map<Verdict, Integer> total = new EnumMap<>(Verdict.class);
  private Map<Verdict, Integer> current = new EnumMap<>(Verdict.class);
  private List<Long> jsonMillis = new ArrayList<>();

  /** One window: verdict counts and the p50/p99 of successful JSON calls in milliseconds. */
  public record Counts(Map<Verdict, Integer> verdicts, long jsonP50Ms, long jsonP99Ms) {
    public int sent() {
      return verdicts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int failed() {
      int failed = 0;
      for (Map.Entry<Verdict, Integer> e : verdicts.entrySet()) {
        failed += e.getKey().success() ? 0 : e.getValue();
      }
      return failed;
    }

    JsonObject toJson() {
      JsonObject counts = new JsonObject();
      verdicts.forEach((v, n) -> counts.put(v.name(), n));
      return new JsonObject()
          .put("sent", sent())
          .put("verdicts", counts)
          .put("jsonP50Ms", jsonP50Ms)
          .put("jsonP99Ms", jsonP99Ms);
    }
  }

  public synchronized void accept(RequestOutcome outcome) {
    current.merge(outcome.verdict(), 1, Integer::sum);
    if (!outcome.stream() && outcome.verdict() == Verdict.OK) {
      jsonMillis.add(outcome.endedAt() - outcome.sentAt());
    }
  }

  public synchronized Counts roll() {
    current.forEach((v, n) -> total.merge(v, n, Integer::sum));
    Collections.sort(jsonMillis);
    Counts counts = new Counts(Map.copyOf(current), percentile(0.50), percentile(0.99));
    current = new EnumMap<>(Verdict.class);
    jsonMillis = new ArrayList<>();
    return counts;
  }

  public synchronized Counts total() {
    return new Counts(Map.copyOf(total), -1, -1);
  }

  private long percentile(double share) {
    if (jsonMillis.isEmpty()) {
      return -1;
    }
    return jsonMillis.get(
        Math.min(jsonMillis.size() - 1, (int) Math.ceil(share * jsonMillis.size()) - 1));
  }
}
