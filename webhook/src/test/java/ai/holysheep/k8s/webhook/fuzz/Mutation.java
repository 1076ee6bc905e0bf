package ai.holysheep.k8s.webhook.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The ways a review is damaged, one row each: a tree mutation edits the parsed review in place; a
 * text mutation works on its JSON text (what no tree can hold: truncation, duplicate keys, broken
 * bytes). The sizes stay within what an API server can send (its request limit is 3 MiB).
 */
enum Mutation {
  TRUNCATE(true),
  WRONG_TYPE(false),
  HUGE_STRING(false),
  HUGE_ARRAY(false),
  DEEP_NESTING(true),
  UNKNOWN_KIND(false),
  MISSING_FIELD(false),
  INVALID_ANNOTATION(false),
  DUPLICATE_ANNOTATION(true),
  DUPLICATE_CONTAINER(false),
  PORT_IN_USE(false),
  WRONG_OPERATION(false),
  BROKEN_BYTES(true);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The most bytes a mutation adds: a little over the server's 4 MiB body limit. */
  static final long MAX_BYTES = 5L * 1024 * 1024;

  private static final List<String> ANNOTATIONS =
      List.of(
          "holysheep.ai/inject",
          "holysheep.ai/config",
          "holysheep.ai/timeout",
          "holysheep.ai/max-retries",
          "holysheep.ai/cpu",
          "holysheep.ai/memory",
          "holysheep.ai/native-sidecar",
          "holysheep.ai/inject-env",
          "holysheep.ai/proxy-port",
          "holysheep.ai/admin-port",
          "holysheep.ai/status",
          "holysheep.ai/upstream",
          "kubectl.kubernetes.io/default-container");
  private static final List<String> NASTY =
      List.of(
          "",
          " ",
          "true ",
          "TRUE",
          "-1",
          "0",
          "65536",
          "15080",
          "1e9",
          "99999999999999999999",
          "30",
          "5m",
          "-5s",
          "1000000h",
          "NaN",
          "null",
          "{\"version\":\"1\"}",
          "{not json",
          "../../etc/passwd",
          "\u0000",
          "é😀",
          "a".repeat(300),
          "x-y_z.1");

  /** Works on the text (true) or on the tree (false). */
  final boolean text;

  Mutation(boolean text) {
    this.text = text;
  }

  /** Edits {@code review} in place. */
  void applyTo(ObjectNode review, Random random) {
    JsonNode pod = review.path("request").path("object");
    switch (this) {
      case WRONG_TYPE -> {
        Location at = Location.any(review, random);
        if (at != null) {
          at.set(otherType(at.get(), random));
        }
      }
      case HUGE_STRING -> {
        Location at = Location.anyString(review, random);
        String huge = "x".repeat(1 << (10 + random.nextInt(10)));
        if (at != null) {
          at.set(NODES.textNode(huge));
        }
      }
      case HUGE_ARRAY -> {
        ArrayNode list = Location.anyArray(review, random);
        if (list != null && !list.isEmpty()) {
          JsonNode item = list.get(random.nextInt(list.size()));
          int wanted = 100 + random.nextInt(random.nextBoolean() ? 2000 : 20000);
          // never far beyond what the server accepts (4 MiB): enough to see 413s
          int copies = (int) Math.min(wanted, MAX_BYTES / Math.max(1, item.toString().length()));
          boolean rename = item.path("name").isTextual() && random.nextBoolean();
          for (int i = 0; i < copies; i++) {
            JsonNode copy = item.deepCopy();
            if (rename) {
              // distinct names: a long list the diff must match by name, not a duplicate
              ((ObjectNode) copy).put("name", item.path("name").asText() + "-" + i);
            }
            list.add(copy);
          }
        }
      }
      case UNKNOWN_KIND -> {
        ObjectNode target = random.nextBoolean() ? review : objectOrNull(pod);
        if (target != null) {
          target.put(
              "kind",
              List.of("Deployment", "Pod ", "pod", "AdmissionReview", "", "Secret")
                  .get(random.nextInt(6)));
          if (random.nextBoolean()) {
            target.put(
                "apiVersion",
                List.of("v1", "admission.k8s.io/v1beta1", "apps/v1", "").get(random.nextInt(4)));
          }
        }
      }
      case MISSING_FIELD -> {
        Location at = Location.anyField(review, random);
        if (at != null) {
          at.remove();
        }
      }
      case INVALID_ANNOTATION -> {
        ObjectNode annotations = annotations(pod);
        if (annotations != null) {
          String key = ANNOTATIONS.get(random.nextInt(ANNOTATIONS.size()));
          if (random.nextInt(4) == 0) {
            annotations.set(key, otherType(NODES.textNode("x"), random));
          } else {
            annotations.put(key, NASTY.get(random.nextInt(NASTY.size())));
          }
        }
      }
      case DUPLICATE_CONTAINER -> {
        ArrayNode containers = list(pod, random.nextBoolean() ? "containers" : "initContainers");
        if (containers != null && !containers.isEmpty()) {
          JsonNode copy = containers.get(random.nextInt(containers.size())).deepCopy();
          if (random.nextBoolean() && copy instanceof ObjectNode object) {
            object.put("name", "holysheep-proxy");
          }
          containers.add(copy);
        }
      }
      case PORT_IN_USE -> {
        ArrayNode containers = list(pod, "containers");
        if (containers != null
            && !containers.isEmpty()
            && containers.get(0) instanceof ObjectNode c) {
          ArrayNode ports =
              c.get("ports") instanceof ArrayNode existing ? existing : c.putArray("ports");
          ports.addObject().put("containerPort", random.nextBoolean() ? 15080 : 15081);
        }
      }
      case WRONG_OPERATION -> {
        if (review.path("request") instanceof ObjectNode request) {
          switch (random.nextInt(3)) {
            case 0 ->
                request.put(
                    "operation",
                    List.of("UPDATE", "DELETE", "CONNECT", "create", "").get(random.nextInt(5)));
            case 1 -> request.set("dryRun", otherType(NODES.booleanNode(true), random));
            default -> request.set("namespace", otherType(NODES.textNode("chat"), random));
          }
        }
      }
      default -> throw new IllegalStateException(this + " is a text mutation");
    }
  }

  /** Edits the JSON text. */
  byte[] applyTo(byte[] json, Random random) {
    String text = new String(json, StandardCharsets.UTF_8);
    return switch (this) {
      case TRUNCATE -> java.util.Arrays.copyOf(json, random.nextInt(Math.max(1, json.length)));
      case DUPLICATE_ANNOTATION -> {
        int at = text.indexOf("\"metadata\"");
        int brace = at < 0 ? -1 : text.indexOf('{', at);
        if (brace < 0) {
          yield json;
        }
        String key = ANNOTATIONS.get(random.nextInt(3));
        String dup =
            "\"annotations\":{\""
                + key
                + "\":\"true\",\""
                + key
                + "\":\""
                + NASTY.get(random.nextInt(NASTY.size())).replace("\\", "").replace("\"", "")
                + "\"},";
        yield (text.substring(0, brace + 1) + dup + text.substring(brace + 1))
            .getBytes(StandardCharsets.UTF_8);
      }
      case DEEP_NESTING -> {
        // as text: a tree this deep cannot even be written by the generator's own mapper
        int depth = 50 + random.nextInt(5000);
        String open = random.nextBoolean() ? "[" : "{\"n\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(depth);
        String anchor = random.nextBoolean() ? "\"object\":{" : "{";
        int at = text.indexOf(anchor);
        if (at < 0) {
          yield json;
        }
        int insert = at + anchor.length();
        yield (text.substring(0, insert) + "\"deep\":" + nested + "," + text.substring(insert))
            .getBytes(StandardCharsets.UTF_8);
      }
      case BROKEN_BYTES -> {
        byte[] copy = json.clone();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n && copy.length > 0; i++) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        yield copy;
      }
      default -> throw new IllegalStateException(this + " is a tree mutation");
    };
  }

  static JsonNode otherType(JsonNode node, Random random) {
    List<JsonNode> choices = new ArrayList<>();
    if (!node.isTextual()) {
      choices.add(NODES.textNode("42"));
    }
    if (!node.isNumber()) {
      choices.add(NODES.numberNode(random.nextInt(100000) - 50000));
    }
    if (!node.isBoolean()) {
      choices.add(NODES.booleanNode(random.nextBoolean()));
    }
    if (!node.isArray()) {
      choices.add(NODES.arrayNode().add("a").add(1));
    }
    if (!node.isObject()) {
      choices.add(NODES.objectNode().put("k", "v"));
    }
    if (!node.isNull()) {
      choices.add(NODES.nullNode());
    }
    choices.add(NODES.numberNode(1.5e300));
    return choices.get(random.nextInt(choices.size()));
  }

  private static ObjectNode objectOrNull(JsonNode node) {
    return node instanceof ObjectNode object ? object : null;
  }

  private static ObjectNode annotations(JsonNode pod) {
    if (!(pod.path("metadata") instanceof ObjectNode metadata)) {
      return null;
    }
    JsonNode annotations = metadata.get("annotations");
    if (annotations == null || annotations.isNull()) {
      return metadata.putObject("annotations");
    }
    return annotations instanceof ObjectNode object ? object : null;
  }

  private static ArrayNode list(JsonNode pod, String name) {
    JsonNode list = pod.path("spec").path(name);
    if (list.isMissingNode() && pod.path("spec") instanceof ObjectNode spec) {
      return spec.putArray(name);
    }
    return list instanceof ArrayNode array ? array : null;
  }

  /** How often each mutation is drawn, relative to the others. */
  static final Map<Mutation, Integer> WEIGHTS =
      Map.ofEntries(
          Map.entry(TRUNCATE, 6),
          Map.entry(WRONG_TYPE, 14),
          Map.entry(HUGE_STRING, 4),
          Map.entry(HUGE_ARRAY, 4),
          Map.entry(DEEP_NESTING, 4),
          Map.entry(UNKNOWN_KIND, 6),
          Map.entry(MISSING_FIELD, 12),
          Map.entry(INVALID_ANNOTATION, 16),
          Map.entry(DUPLICATE_ANNOTATION, 6),
          Map.entry(DUPLICATE_CONTAINER, 8),
          Map.entry(PORT_IN_USE, 6),
          Map.entry(WRONG_OPERATION, 6),
          Map.entry(BROKEN_BYTES, 8));
}
