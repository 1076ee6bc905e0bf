package ai.holysheep.k8s.webhook.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamedListDiffTest {
  static ArrayNode named(List<String> names) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    names.forEach(n -> list.addObject().put("name", n).put("image", "img/" + n));
    return list;
  }

  static JsonNode diffAndApply(ArrayNode before, ArrayNode after, ArrayNode ops) {
    assertTrue(NamedListDiff.diff(before, after, "/list", java.util.Set.of("x"), ops));
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.set("list", before.deepCopy());
    return JsonPatch.apply(ops, doc).get("list");
  }

  /**
   * A pod of 50,000 tiny containers fits in an API server request (3 MiB): matching names with a
   * quadratic table took 10 GB and never answered (found by admission fuzzing, 13,711 containers).
   */
  @Test
  void aVeryLongListIsMatchedByNameWithoutAQuadraticTable() {
    List<String> names =
        java.util.stream.IntStream.range(0, 50_000).mapToObj(i -> "app-" + i).toList();
    ArrayNode before = named(names);
    ArrayNode after = named(names);
    after.insert(0, named(List.of("holysheep-proxy")).get(0));
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();

    JsonNode patched = diffAndApply(before, after, ops);

    assertEquals(1, ops.size(), "one add, nothing else: " + ops.get(0));
    assertEquals("/list/0", ops.get(0).path("path").asText());
    assertEquals(after, patched);
  }

  @Test
  void movedItemsAreRemovedAndAddedAndTheLongestOrderIsKept() {
    ArrayNode before = named(List.of("a", "b", "c", "d"));
    ArrayNode after = named(List.of("b", "c", "x", "a", "d"));
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();

    assertEquals(after, diffAndApply(before, after, ops));
    long kept = 4 - ops.findValuesAsText("op").stream().filter("remove"::equals).count();
    assertEquals(3, kept, "b, c and d keep their place; only a moves: " + ops);
  }

  /**
   * Found by admission fuzzing: a container with 12,000 env vars never got an answer, because
   * zjsonpatch diffs arrays with a quadratic table. Appending the three injected vars is three
   * adds.
   */
  @Test
  void aContainerWithTensOfThousandsOfEnvVarsGetsOnlyItsNewOnesAdded() {
    ObjectNode app = JsonNodeFactory.instance.objectNode().put("name", "app");
    ArrayNode env = app.putArray("env");
    for (int i = 0; i < 60_000; i++) {
      env.addObject().put("name", "VAR_" + i).put("value", "v");
    }
    ObjectNode injected = app.deepCopy();
    for (String name : List.of("OPENAI_BASE_URL", "HOLYSHEEP_BASE_URL", "OPENAI_API_KEY")) {
      injected.withArray("env").addObject().put("name", name).put("value", "x");
    }
    ArrayNode before = JsonNodeFactory.instance.arrayNode().add(app);
    ArrayNode after = JsonNodeFactory.instance.arrayNode().add(injected);
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();

    JsonNode patched = diffAndApply(before, after, ops);

    assertEquals(3, ops.size(), ops.toString().substring(0, 200));
    assertEquals("/list/0/env/60000", ops.get(0).path("path").asText());
    assertEquals(after, patched);
  }
}
