package ai.holysheep.k8s.sidecar.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonScannerTest {
  private static JsonScanner topLevel(String json, int chunk) {
    JsonScanner scanner =
        new JsonScanner(null, new String[] {"usage", "model", "error"}, new int[] {256, 64, 8});
    Buffer bytes = Buffer.buffer(json);
    for (int i = 0; i < bytes.length(); i += chunk) {
      scanner.feed(bytes, i, Math.min(bytes.length(), i + chunk));
    }
    return scanner;
  }

  @Test
  void findsTopLevelValuesWhateverTheChunking() {
    String json =
        "{\"id\":\"x\",\"choices\":[{\"message\":{\"usage\":1,\"content\":\"a,}\\\"b\"}}],"
            + " \"model\" : \"gpt-4o\", \"usage\": {\"prompt_tokens\": 3, \"d\": {\"x\": 1}} }";
    for (int chunk : new int[] {1, 2, 7, 1000}) {
      JsonScanner scanner = topLevel(json, chunk);
      assertEquals("gpt-4o", scanner.string(1), "chunk " + chunk);
      assertEquals("{\"prompt_tokens\": 3, \"d\": {\"x\": 1}}", scanner.value(0).toString());
      assertFalse(scanner.found(2));
    }
  }

  @Test
  void nestedKeysOfTheSameNameAreIgnored() {
    JsonScanner scanner = topLevel("{\"data\":{\"usage\":{\"prompt_tokens\":9}},\"x\":1}", 3);
    assertFalse(scanner.found(0));
  }

  @Test
  void marksNullsOverflowsAndOffsets() {
    String json = "{\"id\":1,\"usage\":null,\"error\":{\"message\":\"a long message\"}}";
    JsonScanner scanner = topLevel(json, 5);
    assertTrue(scanner.isNull(0));
    assertTrue(scanner.overflowed(2));
    assertEquals(',', json.charAt((int) scanner.separatorBefore(0)));
    assertEquals('"', json.charAt((int) scanner.keyStart(0)));
    assertEquals(",", json.substring((int) scanner.valueEnd(0), (int) scanner.valueEnd(0) + 1));
  }

  @Test
  void readsKeysInsideOneTopLevelParent() {
    JsonScanner scanner = new JsonScanner("response", new String[] {"usage"}, new int[] {128});
    scanner.feed(
        Buffer.buffer(
            "{\"type\":\"response.completed\",\"usage\":{\"input_tokens\":0},"
                + "\"response\":{\"id\":\"r\",\"output\":[{\"usage\":1}],"
                + "\"usage\":{\"input_tokens\":4,\"output_tokens\":2}}}"));
    assertEquals("{\"input_tokens\":4,\"output_tokens\":2}", scanner.value(0).toString());
  }

  @Test
  void aMissingKeyIsNotFound() {
    JsonScanner scanner = topLevel("[1,2,{\"usage\":{}}]", 4);
    assertNull(scanner.value(0));
  }

  @Test
  void readsSlicesAndDirectBuffersAtTheirOwnOffsets() {
    String json = "{\"model\":\"m-1\",\"usage\":{\"prompt_tokens\":2}}";
    Buffer framed = Buffer.buffer("xxxx" + json + "yyyy");
    JsonScanner fromSlice = topLevel("", 1);
    fromSlice.feed(framed.slice(4, 4 + json.length()));
    assertEquals("m-1", fromSlice.string(1));
    assertEquals("{\"prompt_tokens\":2}", fromSlice.value(0).toString());

    ByteBuf direct = Unpooled.directBuffer();
    direct.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    Buffer directBuffer = BufferInternal.buffer(direct);
    JsonScanner fromDirect = topLevel("", 1);
    fromDirect.feed(directBuffer, 0, 10);
    fromDirect.feed(directBuffer, 10, json.length());
    assertEquals("m-1", fromDirect.string(1));
    assertEquals(json.indexOf("\"usage\""), fromDirect.keyStart(0));
    direct.release();
  }

  @Test
  void stepsOverLongStringsWithEscapedQuotesAndKeysInside() {
    String filler = "x\\\"usage\\\": {\\\"prompt_tokens\\\": 1}, \\\\".repeat(20_000);
    String json = "{\"content\":\"" + filler + "\",\"model\":\"after\",\"error\":null}";
    for (int chunk : new int[] {3, 4096, json.length()}) {
      JsonScanner scanner = topLevel(json, chunk);
      assertEquals("after", scanner.string(1), "chunk " + chunk);
      assertFalse(scanner.found(0), "a key inside a string is text");
      assertTrue(scanner.isNull(2));
      assertTrue(scanner.complete());
    }
  }

  @Test
  void anOverflowingValueIsSteppedOverToTheKeysAfterIt() {
    String json =
        "{\"error\":[1, 2.5e3, true, null, {\"k\":\"v,}\"}, [\"]\"]],"
            + "\"model\" :\"m\" , \"usage\":-12 }";
    for (int chunk : new int[] {1, 2, 5, json.length()}) {
      JsonScanner scanner = topLevel(json, chunk);
      assertTrue(scanner.overflowed(2), "chunk " + chunk);
      assertEquals("[1, 2.5e", scanner.value(2).toString());
      assertEquals("m", scanner.string(1));
      assertEquals(-12, scanner.integer(0));
      assertTrue(scanner.complete());
      assertEquals(json.lastIndexOf('}'), scanner.valueEnd(0));
    }
  }
}
