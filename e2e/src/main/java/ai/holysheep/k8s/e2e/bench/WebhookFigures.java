package ai.holysheep.k8s.e2e.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The webhook's admission figures, as whatever e2e/bench/webhook.sh wrote to {@code webhook.json}:
 * rendered generically (one row per leaf, nested keys joined with dots) so that a new figure there
 * shows up here without a change to this class.
 */
final class WebhookFigures {
  private WebhookFigures() {}

  static String render(JsonObject webhook) {
    StringBuilder md = new StringBuilder("| figure | value |\n|---|---|\n");
    flatten("", webhook.getMap(), md);
    return md.toString();
  }

  private static void flatten(String prefix, Object value, StringBuilder md) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, md));
    } else if (value instanceof JsonObject o) {
      flatten(prefix, o.getMap(), md);
    } else if (value instanceof JsonArray a) {
      md.append("| ").append(prefix).append(" | ").append(a.encode()).append(" |\n");
    } else {
      md.append("| ").append(prefix).append(" | ").append(value).append(" |\n");
    }
  }
}
