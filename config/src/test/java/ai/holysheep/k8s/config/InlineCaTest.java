package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InlineCaTest {
  private static final String ALLOWED =
      "; allowed: one or more PEM blocks \"-----BEGIN CERTIFICATE-----\", at most 64Ki characters";

  static String testCa() {
    try (InputStream in = InlineCaTest.class.getResourceAsStream("/test-ca.pem")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HolySheepConfig parseWithCa(String pem) {
    ObjectNode spec = JsonNodeFactory.instance.objectNode();
    spec.put("caPem", pem);
    return ConfigParser.parse(spec);
  }

  private static List<String> errorsWithCa(String pem) {
    ObjectNode spec = JsonNodeFactory.instance.objectNode();
    spec.put("caPem", pem);
    return errorsOf(spec.toString());
  }

  @Test
  void primaryTrustsAnInlineCaBundle() {
    String pem = testCa();
    HolySheepConfig c = parseWithCa(pem + "\n" + pem);
    assertEquals((pem + "\n" + pem).strip(), c.caPem());
    assertEquals(c.caPem(), c.upstreams().get(0).caPem());
  }

  @Test
  void fallbackTrustsItsOwnInlineCa() {
    ObjectNode spec = JsonNodeFactory.instance.objectNode();
    ObjectNode fallback = spec.putArray("fallbacks").addObject();
    fallback.put("name", "b").put("baseUrl", "https://b.example/v1").put("apiKeyFile", "/k");
    fallback.put("caPem", testCa());
    HolySheepConfig c = ConfigParser.parse(spec);
    assertEquals(testCa().strip(), c.fallbacks().get(0).caPem());
    assertNull(c.caPem(), "a fallback's CA is not the primary's");
  }

  @Test
  void textWithoutACertificateIsRefused() {
    assertEquals(List.of("caPem: holds no PEM certificate" + ALLOWED), errorsWithCa("hello"));
  }

  @Test
  void aPrivateKeyIsRefusedWithoutEchoingIt() {
    String key =
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRET\n"
            + "-----END PRIVATE KEY-----\n";
    List<String> errors = errorsWithCa(testCa() + key);
    assertEquals(
        List.of(
            "caPem: contains a private key (not shown); only certificates belong here" + ALLOWED),
        errors);
    assertFalse(errors.get(0).contains("SECRET"));
  }

  @Test
  void brokenBase64IsRefusedWithTheParserReason() {
    String broken = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";
    String error = errorsWithCa(broken).get(0);
    assertTrue(error.startsWith("caPem: is not valid PEM certificates ("), error);
    assertTrue(error.endsWith(ALLOWED), error);
  }

  @Test
  void oversizedBundleIsRefused() {
    String huge = testCa().repeat(InlineCa.MAX_CHARS / testCa().length() + 1);
    assertEquals(
        List.of("caPem: is " + huge.length() + " characters long" + ALLOWED), errorsWithCa(huge));
  }

  @Test
  void notAStringIsRefused() {
    assertOnlyError("caPem: [1]", "caPem: [1] is not a string");
  }

  @Test
  void unsetCaKeepsTheCanonicalJsonAndHashOfEarlierVersions() {
    HolySheepConfig defaults = HolySheepConfig.defaults();
    assertFalse(defaults.toCanonicalJson().contains("caPem"));
    assertFalse(defaults.toCanonicalJson().contains("apiKeyFile"));
    HolySheepConfig withCa = parseWithCa(testCa());
    assertEquals(withCa, ConfigParser.parse(withCa.toCanonicalJson()));
    assertFalse(withCa.hash().equals(defaults.hash()));
  }
}
