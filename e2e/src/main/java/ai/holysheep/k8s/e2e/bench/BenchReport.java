package ai.holysheep.k8s.e2e.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -cp holysheep-simulator.jar ai.holysheep.k8s.e2e.bench.BenchReport --dir
 * e2e/target/bench}: turns run.sh's raw output into {@code results.md} (printed too) and {@code
 * results.json} (raw facts, figures, targets, and the webhook's {@code webhook.json} when present).
 * Exits 0 whether targets are met or not: the table says which.
 */
public final class BenchReport {
  static final String USAGE = "usage: BenchReport --dir e2e/target/bench [--window SECONDS]";

  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> flags = Flags.parse(args, USAGE, "--dir");
    Path dir = Path.of(flags.get("--dir"));
    double window = Double.parseDouble(flags.getOrDefault("--window", "15"));
    Facts facts = Facts.read(dir.resolve("raw/facts.txt"));
    Figures figures = Figures.compute(dir.resolve("raw"), facts, window);
    String markdown = ReportTable.render(facts, figures, window);
    JsonObject webhook = readWebhook(dir.resolve("webhook.json"));
    if (webhook != null) {
      markdown +=
          "\nWebhook admission (e2e/bench/webhook.sh, `webhook.json`):\n\n"
              + WebhookFigures.render(webhook);
    }
    Files.writeString(dir.resolve("results.md"), markdown);
    Files.writeString(
        dir.resolve("results.json"), json(facts, figures, webhook).encodePrettily() + "\n");
    System.out.print(markdown);
  }

  static JsonObject json(Facts facts, Figures figures, JsonObject webhook) {
    JsonObject figureJson = new JsonObject();
    figures.all().forEach((k, v) -> figureJson.put(k, Double.isFinite(v) ? v : null));
    JsonArray targets = new JsonArray();
    for (Target t : Target.ISSUE_12) {
      double measured = figures.get(t.figure());
      double limit = t.limitIn(figures);
      targets.add(
          new JsonObject()
              .put("target", t.text())
              .put("figure", t.figure())
              .put("measured", Double.isFinite(measured) ? measured : null)
              .put("comparison", t.atMost() ? "<=" : ">=")
              .put("limit", Double.isFinite(limit) ? limit : null)
              .put("unit", t.unit())
              .put("status", t.judge(figures).name().toLowerCase(java.util.Locale.ROOT)));
    }
    JsonObject factJson = new JsonObject();
    facts.withPrefix("").forEach(factJson::put);
    return new JsonObject()
        .put("facts", factJson)
        .put("figures", figureJson)
        .put("targets", targets)
        .put("webhook", webhook);
  }

  private static JsonObject readWebhook(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (RuntimeException e) {
      return new JsonObject().put("error", "webhook.json is not a JSON object: " + e.getMessage());
    }
  }
}
