package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  static boolean diff(
      ArrayNode before, ArrayNode after, String path, Set<String> movable, ArrayNode ops) {
    List<String> beforeNames = names(before);
    List<String> afterNames = names(after);
    if (beforeNames == null || afterNames == null) {
      return false;
    }
    int[] matchOf = longestCommonNames(beforeNames, afterNames, movable);
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
        TreeDiff.diff(before.get(matchOf[j]), after.get(j), path + "/" + j, result);
      } else {
        ObjectNode add = result.addObject().put("op", "add").put("path", path + "/" + j);
        add.set("value", after.get(j));
      }
    }
    ops.addAll(result);
    return true;
  }

  /**
   * For each index of {@code after}, the index in {@code before} it keeps, or -1 when it is new:
   * the run of names kept in the same order that keeps the most items not in {@code movable} (the
   * injector's own), then the most of those. Names are unique on both sides, so this is a heaviest
   * increasing run of before-positions read in after-order: O(n log n) time and O(n) memory (a
   * quadratic table took gigabytes for a pod with tens of thousands of containers). Anything moved
   * reads as a remove and an add.
   */
  private static int[] longestCommonNames(
      List<String> before, List<String> after, Set<String> movable) {
    Map<String, Integer> positionBefore = new HashMap<>();
    for (int i = 0; i < before.size(); i++) {
      positionBefore.put(before.get(i), i);
    }
    int n = after.size();
    long heavy = n + 1L;
    // best[k]: heaviest run ending at before-position k so far; a Fenwick tree of prefix maxima
    long[] tree = new long[before.size() + 1];
    int[] treeAt = new int[before.size() + 1];
    java.util.Arrays.fill(treeAt, -1);
    int[] previous = new int[n];
    long bestWeight = 0;
    int bestEnd = -1;
    for (int j = 0; j < n; j++) {
      Integer i = positionBefore.get(after.get(j));
      if (i == null) {
        continue;
      }
      long prefix = 0;
      int prefixAt = -1;
      for (int k = i; k > 0; k -= k & -k) {
        if (tree[k] > prefix) {
          prefix = tree[k];
          prefixAt = treeAt[k];
        }
      }
      long weight = prefix + (movable.contains(after.get(j)) ? 1 : heavy);
      previous[j] = prefixAt;
      for (int k = i + 1; k <= before.size(); k += k & -k) {
        if (weight > tree[k]) {
          tree[k] = weight;
          treeAt[k] = j;
        }
      }
      if (weight > bestWeight) {
        bestWeight = weight;
        bestEnd = j;
      }
    }
    int[] matchOf = new int[n];
    java.util.Arrays.fill(matchOf, -1);
    for (int j = bestEnd; j >= 0; j = previous[j]) {
      matchOf[j] = positionBefore.get(after.get(j));
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
