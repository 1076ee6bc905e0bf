package ai.holysheep.k8s.webhook.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One mutated review, reproducible from the run's seed and its index alone: {@code generate(seed,
 * i)} always gives the same bytes. {@code sent} is the review as a parser reads the bytes (null
 * when they are not JSON), what a returned patch must apply to.
 */
record FuzzCase(long seed, int index, List<Mutation> mutations, byte[] body, JsonNode sent) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOTAL_WEIGHT =
      Mutation.WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();

  static FuzzCase generate(long seed, int index, List<ObjectNode> corpus) {
    Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
    ObjectNode review = corpus.get(random.nextInt(corpus.size())).deepCopy();
    if (review.path("request") instanceof ObjectNode request) {
      request.put("uid", "fuzz-" + seed + "-" + index);
    }
    int count = 1 + random.nextInt(3);
    List<Mutation> applied = new ArrayList<>();
    List<Mutation> onText = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Mutation mutation = draw(random);
      applied.add(mutation);
      if (mutation.text) {
        onText.add(mutation);
      } else {
        mutation.applyTo(review, random);
      }
    }
    byte[] body = review.toString().getBytes(StandardCharsets.UTF_8);
    for (Mutation mutation : onText) {
      body = mutation.applyTo(body, random);
    }
    return new FuzzCase(seed, index, List.copyOf(applied), body, parse(body));
  }

  /** A saved case (a regression fixture): the bytes as they were sent. */
  static FuzzCase replay(String name, byte[] body) {
    return new FuzzCase(0, -1, List.of(), body, parse(body));
  }

  private static Mutation draw(Random random) {
    int ticket = random.nextInt(TOTAL_WEIGHT);
    // in declaration order: a Map's iteration order may change from one JVM to the next
    for (Mutation mutation : Mutation.values()) {
      ticket -= Mutation.WEIGHTS.get(mutation);
      if (ticket < 0) {
        return mutation;
      }
    }
    throw new IllegalStateException("weights do not add up");
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (Exception notJson) {
      return null;
    }
  }

  String describe() {
    return "seed " + seed + " case " + index + " " + mutations + " (" + body.length + " bytes)";
  }
}
