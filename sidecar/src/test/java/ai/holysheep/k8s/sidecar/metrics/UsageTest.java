package ai.holysheep.k8s.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageTest {

  private static Usage parse(String usageObject) {
    return Usage.of("m", Buffer.buffer(usageObject.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsBothFieldStyles() {
    assertEquals(
        new Usage("m", 12, 3),
        parse("{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}"));
    assertEquals(
        new Usage("m", 7, 40),
        parse(
            "{\"input_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":0},"
                + "\"output_tokens\":40,\"total_tokens\":47}"));
    assertEquals(new Usage("m", 5, 0), parse("{\"prompt_tokens\":5,\"total_tokens\":5}"));
  }

  @Test
  void onlyIntegerCountsCountAndTheLaterStyleWins() {
    assertEquals(
        new Usage("m", 0, 4),
        parse("{\"prompt_tokens\":\"12\",\"completion_tokens\": 4 ,\"x\":[1,{\"y\":2}]}"));
    assertNull(parse("{\"prompt_tokens\":1.5,\"completion_tokens\":2e3}"));
    assertEquals(
        new Usage("m", 9, 1),
        parse("{\"prompt_tokens\":3,\"input_tokens\":9,\"output_tokens\":1}"));
    assertNull(parse("{\"prompt_tokens\":12,\"completion_tokens\":3"), "truncated");
    assertNull(parse("{\"prompt_tokens\":123456789012345678901234}"), "beyond a long");
  }

  @Test
  void anObjectWithoutTokenCountsIsNoUsage() {
    assertNull(parse("{\"type\":\"duration\",\"seconds\":3}"));
    assertNull(parse("null"));
    assertNull(parse("not json"));
  }

  @Test
  void modelListReadsIds() {
    Set<String> ids =
        ModelList.parse(
            Buffer.buffer(
                "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\"},"
                    + "{\"id\":\"claude-3\",\"owned_by\":{\"x\":1}}]}"));
    assertEquals(Set.of("gpt-4o", "claude-3"), ids);
    assertEquals(Set.of(), ModelList.parse(Buffer.buffer("[]")));
  }
}
