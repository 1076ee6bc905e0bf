package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Broken expectations by category, each with its count and the first few examples. */
public final class Violations {
  /** Examples kept per category; the count covers all. */
  static final int EXAMPLES = 5;

  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final Map<String, List<String>> examples = new LinkedHashMap<>();

  synchronized void add(String category, String example) {
    counts.merge(category, 1, Integer::sum);
    List<String> kept = examples.computeIfAbsent(category, c -> new ArrayList<>());
    if (kept.size() < EXAMPLES) {
      kept.add(example);
    }
  }

  public synchronized boolean isEmpty() {
    return counts.isEmpty();
  }

  public synchronized Map<String, Integer> counts() {
    return new LinkedHashMap<>(counts);
  }

  public synchronized int count(String category) {
    return counts.getOrDefault(category, 0);
  }

  /** One line per category with its examples, for assertion messages and the console. */
  public synchronized String describe() {
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (category, count) -> {
          text.append(category).append(": ").append(count).append('\n');
          examples.get(category).forEach(e -> text.append("    ").append(e).append('\n'));
        });
    return text.toString();
  }

  synchronized JsonObject toJson() {
    JsonObject json = new JsonObject();
    counts.forEach(
        (category, count) ->
            json.put(
                category,
                new JsonObject()
                    .put("count", count)
                    .put("examples", new JsonArray(examples.get(category)))));
    return json;
  }
}
