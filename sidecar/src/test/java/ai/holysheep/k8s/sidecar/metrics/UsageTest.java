package ai.holysheep.k8s.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageTest {

  private static Usage parse(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return Usage.parse(bytes, 0, bytes.length);
  }

  @Test
  void readsTopLevelUsageAndModel() {
    Usage usage =
        parse(
            "{\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");
    assertEquals(new Usage("gpt-4o", 12, 3), usage);
  }

  @Test
  void ignoresNullUsageAndNestedUsageFields() {
    assertNull(parse("{\"model\":\"m\",\"usage\":null}"));
    assertNull(parse("{\"choices\":[{\"usage\":{\"prompt_tokens\":1}}]}"));
    assertNull(parse("not json"));
  }

  @Test
  void preCheckFindsTheFieldCheaply() {
    Buffer body = Buffer.buffer("{\"usage\":{}}");
    assertTrue(Usage.mayContainUsage(body, 0, body.length()));
    assertFalse(Usage.mayContainUsage(Buffer.buffer("{\"x\":1}"), 0, 7));
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
