package ai.holysheep.k8s.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a pod injection reads, and the JSON shape each must have, as one table: an API
 * server never sends a pod that breaks them (it decodes the pod into its own types first), so one
 * that does is a bad request, answered with 400 naming the field, never an exception inside
 * injection (admission fuzzing found null containers, nameless containers, null env and port
 * entries and null owner references reaching the injector as 500s).
 */
final class PodShape {
  /**
   * A list under a parent object: its items must be objects, named when {@code named}, and the
   * names unique within {@code uniqueIn} (a group shared by several lists) when that is not null.
   */
  private record NamedList(
      String field, String item, boolean named, String uniqueIn, List<NamedList> nested) {}

  private static final List<NamedList> CONTAINER_PARTS =
      List.of(
          new NamedList("env", "an environment variable", true, null, List.of()),
          new NamedList("ports", "a container port", false, null, List.of()));

  /** Under {@code spec}. */
  private static final List<NamedList> SPEC_LISTS =
      List.of(
          new NamedList("containers", "a container", true, "containers", CONTAINER_PARTS),
          new NamedList("initContainers", "a container", true, "containers", CONTAINER_PARTS),
          new NamedList("volumes", "a volume", true, "volumes", List.of()));

  /** Under {@code metadata}: who owns the pod (read to tell a Job's pod, and to place Events). */
  private static final List<NamedList> METADATA_LISTS =
      List.of(new NamedList("ownerReferences", "an owner reference", false, null, List.of()));

  private PodShape() {}

  /** Throws {@link BadAdmissionRequest} for the first part that has the wrong shape. */
  static void check(JsonNode pod) {
    JsonNode metadata = pod.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw wrong("request.object.metadata", metadata, "an object");
      }
      JsonNode annotations = metadata.get("annotations");
      if (annotations != null && !annotations.isNull()) {
        if (!annotations.isObject()) {
          throw wrong("request.object.metadata.annotations", annotations, "an object of strings");
        }
        for (Map.Entry<String, JsonNode> annotation : annotations.properties()) {
          if (!annotation.getValue().isTextual()) {
            throw wrong(
                "request.object.metadata.annotations[\"" + annotation.getKey() + "\"]",
                annotation.getValue(),
                "a string");
          }
        }
      }
      lists(metadata, "request.object.metadata", METADATA_LISTS, new HashMap<>());
    }
    lists(pod.get("spec"), "request.object.spec", SPEC_LISTS, new HashMap<>());
  }

  private static void lists(
      JsonNode parent, String path, List<NamedList> lists, Map<String, Set<String>> names) {
    for (NamedList list : lists) {
      JsonNode items = parent.get(list.field());
      String at = path + "." + list.field();
      if (items == null || items.isNull()) {
        continue;
      }
      if (!items.isArray()) {
        throw wrong(at, items, "a list");
      }
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        String itemAt = at + "[" + i + "]";
        if (!item.isObject()) {
          throw wrong(itemAt, item, "an object (" + list.item() + ")");
        }
        JsonNode name = item.path("name");
        if (list.named() && !(name.isTextual() && !name.asText().isEmpty())) {
          throw wrong(itemAt + ".name", name, "a non-empty string");
        }
        if (list.uniqueIn() != null
            && !names.computeIfAbsent(list.uniqueIn(), g -> new HashSet<>()).add(name.asText())) {
          throw BadAdmissionRequest.badRequest(
              itemAt
                  + ".name: \""
                  + AdmissionDecoder.echo(name.asText())
                  + "\" is used twice; names of "
                  + list.uniqueIn()
                  + " must be unique in a pod");
        }
        lists(item, itemAt, list.nested(), new HashMap<>());
      }
    }
  }

  private static BadAdmissionRequest wrong(String field, JsonNode found, String expected) {
    String what =
        found.isMissingNode()
            ? "missing"
            : found.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    return BadAdmissionRequest.badRequest(field + ": " + what + "; expected " + expected);
  }
}
