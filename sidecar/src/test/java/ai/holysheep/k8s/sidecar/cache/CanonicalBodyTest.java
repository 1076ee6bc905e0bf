package ai.holysheep.k8s.sidecar.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CanonicalBodyTest {

  @Test
  void keyOrderAndWhitespaceDoNotChangeTheHash() {
    String compact =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1}";
    String reordered =
        "{\n  \"n\" : 1,\n  \"messages\": [ {\"content\": \"hi\", \"role\": \"user\"} ],\n"
            + "  \"model\": \"m\"\n}\n";
    assertEquals(hash(compact), hash(reordered));
  }

  @Test
  void anyDifferenceInValuesChangesTheHash() {
    String base = hash("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertNotEquals(
        base, hash("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"ho\"}]}"));
    assertNotEquals(
        base, hash("{\"model\":\"n\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertNotEquals(hash("{\"input\":[\"a\",\"b\"]}"), hash("{\"input\":[\"b\",\"a\"]}"));
  }

  @Test
  void aBodyThatIsNotJsonIsHashedAsRawBytes() throws Exception {
    String text = "{\"model\": \"m\"} trailing garbage";
    CanonicalBody body = CanonicalBody.of(Buffer.buffer(text));
    assertNull(body.json());
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, body.sha256());
    assertNotEquals(hash("{\"model\":\"m\"}"), body.sha256());
  }

  @Test
  void theCanonicalFormIsTheSortedCompactJson() throws Exception {
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, hash("{ \"b\": {\"d\": 3, \"c\": 2}, \"a\": 1 }"));
  }

  @Test
  void onlyABooleanTrueStreamFieldAsksForAStream() {
    assertEquals(true, CanonicalBody.of(Buffer.buffer("{\"stream\":true}")).asksForStream());
    assertEquals(false, CanonicalBody.of(Buffer.buffer("{\"stream\":false}")).asksForStream());
    assertEquals(false, CanonicalBody.of(Buffer.buffer("[{\"stream\":true}]")).asksForStream());
    assertEquals(false, CanonicalBody.of(Buffer.buffer("stream: true")).asksForStream());
  }

  private static String hash(String json) {
    return CanonicalBody.of(Buffer.buffer(json)).sha256();
  }
}
