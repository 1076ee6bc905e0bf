package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Diffs a list of named objects (containers, volumes) by name, not by position: inserting the proxy
 * before an app container then reads as one {@code add}, instead of a positional diff that rewrites
 * the app container field by field into the proxy.
 */
final class NamedListDiff {
  private NamedListDiff() {}

  /**
   * Appends to {@code ops} the operations turning {@code before} into {@code after} at {@code
   * path}; false (and nothing appended) when the lists cannot be matched by name (a name missing or
   * repeated).
   */
  static boolean diff(ArrayNode before, ArrayNode after, String path, ArrayNode ops) {
    List<String> beforeNames = names(before);
    List<String> afterNames = names(after);
    if (beforeNames == null || afterNames == null) {
      return false;
    }
    int[] matchOf = longestCommonNames(beforeNames, afterNames);
    Set<Integer> matchedBefore = new HashSet<>();
    for (int j = 0; j < matchOf.length; j++) {
      if (matchOf[j] >= 0) {
        matchedBefore.add(matchOf[j]);
      }
    }
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    for (int i = beforeNames.size() - 1; i >= 0; i--) {
      if (!matchedBefore.contains(i)) {
        result.addObject().put("op", "remove").put("path", path + "/" + i);
      }
    }
    for (int j = 0; j < after.size(); j++) {
      if (matchOf[j] >= 0) {
        JsonNode inner =
            JsonDiff.asJson(
                before.get(matchOf[j]), after.get(j), DiffFlags.dontNormalizeOpIntoMoveAndCopy());
        for (JsonNode op : inner) {
          ObjectNode copy = ((ObjectNode) op).deepCopy();
          copy.put("path", path + "/" + j + op.get("path").asText());
          result.add(copy);
        }
      } else {
        ObjectNode add = result.addObject().put("op", "add").put("path", path + "/" + j);
        add.set("value", after.get(j));
      }
    }
    ops.addAll(result);
    return true;
  }

  /**
   * For each index of {@code after}, the index in {@code before} it keeps (longest common
   * subsequence of names), or -1 when it is new. Anything moved reads as a remove and an add.
   */
  private static int[] longestCommonNames(List<String> before, List<String> after) {
    int[][] lcs = new int[before.size() + 1][after.size() + 1];
    for (int i = before.size() - 1; i >= 0; i--) {
      for (int j = after.size() - 1; j >= 0; j--) {
        lcs[i][j] =
            before.get(i).equals(after.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int[] matchOf = new int[after.size()];
    java.util.Arrays.fill(matchOf, -1);
    int i = 0;
    int j = 0;
    while (i < before.size() && j < after.size()) {
      if (before.get(i).equals(after.get(j))) {
        matchOf[j++] = i++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        i++;
      } else {
        j++;
      }
    }
    return matchOf;
  }

  /** The names in order, or null when one is missing or repeated. */
  private static List<String> names(ArrayNode list) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode item : list) {
      JsonNode name = item.path("name");
      if (!name.isTextual() || !seen.add(name.asText())) {
        return null;
      }
      names.add(name.asText());
    }
    return names;
  }
}
