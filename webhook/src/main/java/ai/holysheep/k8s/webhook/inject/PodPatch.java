package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.List;

/** The RFC 6902 JSON Patch that turns one pod into another. */
public final class PodPatch {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lists of named objects under {@code spec}, diffed by name. */
  private static final List<String> NAMED_LISTS =
      List.of("initContainers", "containers", "volumes");

  private PodPatch() {}

  /**
   * Both pods go through the same fabric8 serialization, so fields the model normalises never show
   * up as changes; only what injection touched does. Containers and volumes are matched by name, so
   * an inserted proxy is one {@code add} and app containers only see their env change. Plain
   * add/remove/replace operations (no move/copy), each naming the field it changes.
   */
  public static JsonNode diff(Pod before, Pod after) {
    ObjectNode from = (ObjectNode) toTree(before);
    ObjectNode to = (ObjectNode) toTree(after);
    ArrayNode ops = JSON.createArrayNode();
    JsonNode fromSpec = from.path("spec");
    JsonNode toSpec = to.path("spec");
    if (fromSpec.isObject() && toSpec.isObject()) {
      for (String list : NAMED_LISTS) {
        JsonNode a = fromSpec.path(list);
        JsonNode b = toSpec.path(list);
        if (a.isArray()
            && b.isArray()
            && NamedListDiff.diff((ArrayNode) a, (ArrayNode) b, "/spec/" + list, ops)) {
          ((ObjectNode) fromSpec).remove(list);
          ((ObjectNode) toSpec).remove(list);
        }
      }
    }
    ArrayNode rest =
        (ArrayNode) JsonDiff.asJson(from, to, DiffFlags.dontNormalizeOpIntoMoveAndCopy());
    rest.addAll(ops);
    return rest;
  }

  static JsonNode toTree(Pod pod) {
    try {
      return JSON.readTree(SERIALIZATION.asJson(pod));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read back a serialized pod", e);
    }
  }
}
