package ai.holysheep.k8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HedgingAndEventSizeTest {

  @Test
  void hedgingIsOffByDefaultWithAThirtySecondDelay() {
    HolySheepConfig c = ConfigParser.parse("{}");
    assertFalse(c.hedging().enabled());
    assertEquals(Duration.ofSeconds(30), c.hedging().delay());
    assertEquals(16L * 1024 * 1024, c.maxEventSizeBytes());
    assertEquals(Duration.ofSeconds(5), c.healthCheck().timeout());
  }

  @Test
  void hedgingEventSizeAndCheckTimeoutAreRead() {
    HolySheepConfig c =
        ConfigParser.parse(
            "hedging: {enabled: true, delay: 2s}\nmaxEventSize: 32Mi\n"
                + "healthCheck: {timeout: 750ms}\n");
    assertTrue(c.hedging().enabled());
    assertEquals(Duration.ofSeconds(2), c.hedging().delay());
    assertEquals(32L * 1024 * 1024, c.maxEventSizeBytes());
    assertEquals(Duration.ofMillis(750), c.healthCheck().timeout());
  }

  @Test
  void badValuesNameTheFieldAndWhatIsAllowed() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigParser.parse(
                    "{\"hedging\":{\"enabled\":\"yes\",\"delay\":\"0s\",\"after\":1},"
                        + "\"maxEventSize\":\"12\",\"healthCheck\":{\"timeout\":\"2h\"}}"));
    assertEquals(
        List.of(
            "hedging.after: unknown field; allowed: enabled, delay",
            "hedging.enabled: \"yes\" is not a boolean; allowed: true, false",
            "hedging.delay: \"0s\" is out of range; allowed: 1ms to 1h",
            "maxEventSize: \"12\" is out of range; allowed: 1Ki to 256Mi",
            "healthCheck.timeout: \"2h\" is out of range; allowed: 1ms to 5m"),
        e.errors().stream().sorted(this::byFieldOrder).toList());
  }

  private int byFieldOrder(String a, String b) {
    List<String> order =
        List.of("hedging.after", "hedging.enabled", "hedging.delay", "maxEventSize", "healthCheck");
    return Integer.compare(rank(order, a), rank(order, b));
  }

  private static int rank(List<String> order, String message) {
    for (int i = 0; i < order.size(); i++) {
      if (message.startsWith(order.get(i))) {
        return i;
      }
    }
    return order.size();
  }

  @Test
  void newFieldsAtTheirDefaultsLeaveTheCanonicalJsonAndHashAsBefore() {
    HolySheepConfig defaults = HolySheepConfig.defaults();
    String json = defaults.toCanonicalJson();
    assertFalse(json.contains("hedging"), json);
    assertFalse(json.contains("maxEventSize"), json);
    assertFalse(json.contains("\"timeout\":\"5s\""), json);
    HolySheepConfig explicit =
        ConfigParser.parse(
            "{\"hedging\":{\"enabled\":false,\"delay\":\"30s\"},\"maxEventSize\":\"16Mi\","
                + "\"healthCheck\":{\"timeout\":\"5s\"}}");
    assertEquals(defaults.hash(), explicit.hash());
  }

  @Test
  void setNewFieldsRoundTripThroughCanonicalJson() {
    HolySheepConfig c =
        ConfigParser.parse(
            "{\"hedging\":{\"enabled\":true,\"delay\":\"5s\"},\"maxEventSize\":\"1Mi\","
                + "\"healthCheck\":{\"timeout\":\"2s\"}}");
    assertEquals(c, ConfigParser.parse(c.toCanonicalJson()));
    assertTrue(c.toCanonicalJson().contains("\"hedging\":{\"enabled\":true,\"delay\":\"5s\"}"));
  }
}
