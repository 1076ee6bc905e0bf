package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Where each supported kind keeps the pod (template) the CLI injects. */
final class PodTemplates {
  /** JSON pointer of the pod template per kind; "" is the object itself (a Pod). */
  private static final Map<String, String> TEMPLATE_POINTERS =
      Map.of(
          "Pod", "",
          "Deployment", "/spec/template",
          "StatefulSet", "/spec/template",
          "DaemonSet", "/spec/template",
          "ReplicaSet", "/spec/template",
          "Job", "/spec/template",
          "CronJob", "/spec/jobTemplate/spec/template");

  private PodTemplates() {}

  /** The object holding {@code metadata} and {@code spec} of the pod, or null for other kinds. */
  static ObjectNode find(JsonNode object) {
    if (object == null || !object.isObject()) {
      return null;
    }
    String pointer = TEMPLATE_POINTERS.get(object.path("kind").asText());
    if (pointer == null) {
      return null;
    }
    JsonNode template = pointer.isEmpty() ? object : object.at(pointer);
    return template.isObject() ? (ObjectNode) template : null;
  }
}
