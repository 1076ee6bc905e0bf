package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The RFC 6902 JSON Patch that turns a pod into its injected form. Only what injection owns is
 * compared: {@code metadata.annotations} and the named lists {@code spec.initContainers}, {@code
 * spec.containers} and {@code spec.volumes}; nothing else can appear in a patch, whatever the model
 * does to the rest of the pod.
 */
public final class PodPatch {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lists of named objects under {@code spec}, diffed by name, and where the model keeps them. */
  private static final Map<String, Function<PodSpec, List<?>>> NAMED_LISTS = namedLists();

  private static Map<String, Function<PodSpec, List<?>>> namedLists() {
    Map<String, Function<PodSpec, List<?>>> lists = new LinkedHashMap<>();
    lists.put("initContainers", PodSpec::getInitContainers);
    lists.put("containers", PodSpec::getContainers);
    lists.put("volumes", PodSpec::getVolumes);
    return lists;
  }

  /** Items the injector adds: when something must move, these move, never the app's. */
  private static final Set<String> OURS = ours();

  private static Set<String> ours() {
    Set<String> ours = new java.util.HashSet<>(SidecarNames.VOLUMES);
    ours.add(SidecarNames.CONTAINER);
    return Set.copyOf(ours);
  }

  private PodPatch() {}

  /**
   * Diffs the pod as the request brought it ({@code original}, the AdmissionReview's {@code
   * request.object}, never re-serialized) against the injected pod. Containers and volumes are
   * matched by name, so an inserted proxy is one {@code add} and app containers only see their env
   * change. Plain add/remove/replace operations (no move/copy), each naming the field it changes,
   * with paths that exist in {@code original}.
   */
  public static JsonNode diff(JsonNode original, Pod injected) {
    return diff(original, injected, part -> null);
  }

  /**
   * As {@link #diff(JsonNode, Pod)}; {@code known} gives the (read-only) tree of parts whose tree
   * is already known (the injector's shared sidecar), null for the others.
   */
  public static JsonNode diff(JsonNode original, Pod injected, Function<Object, JsonNode> known) {
    ObjectNode from = canonicalNumbers(owned(original));
    ObjectNode to = owned(injected, known);
    ArrayNode ops = JSON.createArrayNode();
    JsonNode fromSpec = from.path("spec");
    JsonNode toSpec = to.path("spec");
    if (fromSpec.isObject() && toSpec.isObject()) {
      for (String list : NAMED_LISTS.keySet()) {
        JsonNode a = fromSpec.path(list);
        JsonNode b = toSpec.path(list);
        if (a.isArray()
            && b.isArray()
            && NamedListDiff.diff((ArrayNode) a, (ArrayNode) b, "/spec/" + list, OURS, ops)) {
          ((ObjectNode) fromSpec).remove(list);
          ((ObjectNode) toSpec).remove(list);
        }
      }
    }
    ArrayNode rest = JSON.createArrayNode();
    TreeDiff.diff(from, to, "", rest);
    rest.addAll(ops);
    return rest;
  }

  /** Both sides of a pod the way a client would see them (for callers holding two models). */
  public static JsonNode diff(Pod before, Pod after) {
    return diff(toTree(before), after);
  }

  /**
   * The owned parts of a pod tree, in the pod's own shape: a missing {@code metadata} or {@code
   * spec} stays missing, so an {@code add} of it is what the patch says.
   */
  private static ObjectNode owned(JsonNode pod) {
    ObjectNode owned = JSON.createObjectNode();
    JsonNode metadata = pod.path("metadata");
    if (metadata.isObject()) {
      ObjectNode meta = owned.putObject("metadata");
      if (metadata.has("annotations")) {
        meta.set("annotations", metadata.get("annotations").deepCopy());
      }
    }
    JsonNode spec = pod.path("spec");
    if (spec.isObject()) {
      ObjectNode ownedSpec = owned.putObject("spec");
      for (String list : NAMED_LISTS.keySet()) {
        if (spec.has(list)) {
          ownedSpec.set(list, spec.get(list).deepCopy());
        }
      }
    }
    return owned;
  }

  /**
   * The owned parts of the injected pod, converted part by part (the rest of the pod is never
   * serialized), in the shape the serialized pod would have: empty maps and lists are absent.
   */
  private static ObjectNode owned(Pod pod, Function<Object, JsonNode> known) {
    ObjectNode owned = JSON.createObjectNode();
    if (pod.getMetadata() != null) {
      ObjectNode meta = owned.putObject("metadata");
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      if (annotations != null && !annotations.isEmpty()) {
        meta.set("annotations", JSON.valueToTree(annotations));
      }
    }
    if (pod.getSpec() != null) {
      ObjectNode spec = owned.putObject("spec");
      NAMED_LISTS.forEach(
          (name, list) -> {
            List<?> items = list.apply(pod.getSpec());
            if (items != null && !items.isEmpty()) {
              ArrayNode trees = spec.putArray(name);
              for (Object item : items) {
                JsonNode tree = known.apply(item);
                trees.add(tree != null ? tree : partTree(item));
              }
            }
          });
    }
    return owned;
  }

  /** One model object (a container, a volume) as a tree, numbers canonical. */
  static JsonNode partTree(Object part) {
    return canonicalNumbers(SERIALIZATION.convertValue(part, JsonNode.class));
  }

  /**
   * Integral numbers as the smallest node type that holds them, in place: a parsed request holds
   * 65532 as an int node, the model's {@code Long} field as a long node, and the two must not
   * differ in the patch.
   */
  static <T extends JsonNode> T canonicalNumbers(T tree) {
    if (tree instanceof ObjectNode object) {
      object
          .properties()
          .forEach(field -> field.setValue(canonicalNumbers(canonicalNumber(field.getValue()))));
    } else if (tree instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, canonicalNumbers(canonicalNumber(array.get(i))));
      }
    }
    return tree;
  }

  private static JsonNode canonicalNumber(JsonNode node) {
    if (!node.isIntegralNumber() || node.isInt()) {
      return node;
    }
    if (node.canConvertToInt()) {
      return JSON.getNodeFactory().numberNode(node.intValue());
    }
    return node.canConvertToLong() ? JSON.getNodeFactory().numberNode(node.longValue()) : node;
  }

  /** The model as a tree, as a parser would read its JSON, without a detour through the text. */
  static JsonNode toTree(Pod pod) {
    return canonicalNumbers(SERIALIZATION.convertValue(pod, JsonNode.class));
  }
}
