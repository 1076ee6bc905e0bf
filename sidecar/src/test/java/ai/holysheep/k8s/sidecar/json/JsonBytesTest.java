package ai.holysheep.k8s.sidecar.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class JsonBytesTest {
  private static final byte[] MODEL = JsonBytes.quoted("model");

  @Test
  void withStringReplacesOnlyTheKeysValueAndKeepsEveryOtherByte() {
    Buffer body =
        Buffer.buffer(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"model\\\": x\"}],"
                + " \"model\" : \"deepseek-v3.2\",\"stream\":true}");
    Buffer renamed = JsonBytes.withString(body, MODEL, "deepseek-chat");
    assertEquals(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"say \\\"model\\\": x\"}],"
            + " \"model\" : \"deepseek-chat\",\"stream\":true}",
        renamed.toString());
    assertEquals("deepseek-chat", JsonBytes.string(renamed, MODEL));
  }

  @Test
  void withStringEscapesTheNewValue() {
    Buffer renamed = JsonBytes.withString(Buffer.buffer("{\"model\":\"a\"}"), MODEL, "b\"c\\d");
    assertEquals("{\"model\":\"b\\\"c\\\\d\"}", renamed.toString());
  }

  @Test
  void withStringLeavesBodiesWithoutAPlainStringValueAlone() {
    assertNull(JsonBytes.withString(Buffer.buffer("{\"model\":null}"), MODEL, "x"));
    assertNull(JsonBytes.withString(Buffer.buffer("{\"model\":\"a\\u0062\"}"), MODEL, "x"));
    assertNull(JsonBytes.withString(Buffer.buffer("{\"other\":1}"), MODEL, "x"));
  }
}
