package ai.holysheep.k8s.webhook.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** A place in a JSON tree (a field of an object or an element of an array) that can be edited. */
record Location(JsonNode parent, String field, int index) {
  JsonNode get() {
    return parent instanceof ObjectNode object ? object.get(field) : parent.get(index);
  }

  void set(JsonNode value) {
    if (parent instanceof ObjectNode object) {
      object.set(field, value);
    } else {
      ((ArrayNode) parent).set(index, value);
    }
  }

  void remove() {
    if (parent instanceof ObjectNode object) {
      object.remove(field);
    } else {
      ((ArrayNode) parent).remove(index);
    }
  }

  static Location any(JsonNode root, Random random) {
    return pick(root, random, location -> true);
  }

  static Location anyField(JsonNode root, Random random) {
    return pick(root, random, location -> location.parent().isObject());
  }

  static Location anyString(JsonNode root, Random random) {
    return pick(root, random, location -> location.get().isTextual());
  }

  static ArrayNode anyArray(JsonNode root, Random random) {
    Location at = pick(root, random, location -> location.get().isArray());
    return at == null ? null : (ArrayNode) at.get();
  }

  private static Location pick(JsonNode root, Random random, Predicate<Location> wanted) {
    List<Location> all = new ArrayList<>();
    collect(root, all);
    List<Location> matching = all.stream().filter(wanted).toList();
    return matching.isEmpty() ? null : matching.get(random.nextInt(matching.size()));
  }

  private static void collect(JsonNode node, List<Location> into) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        into.add(new Location(object, field.getKey(), -1));
        collect(field.getValue(), into);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        into.add(new Location(array, null, i));
        collect(array.get(i), into);
      }
    }
  }
}
