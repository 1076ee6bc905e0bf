package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMapTest {
  private static final String FALLBACK =
      "{name: ds, baseUrl: https://ds.example/v1, apiKeyFile: /k";

  private static UpstreamSpec fallbackWith(String models) {
    return ConfigParser.parse("fallbacks: [" + FALLBACK + ", models: " + models + "}]")
        .upstreams()
        .get(1);
  }

  @Test
  void mappedFallbackServesOnlyItsModelsUnderTheirUpstreamNames() {
    UpstreamSpec ds = fallbackWith("{deepseek-v3.2: deepseek-chat, gpt-4o-mini: gpt-4o-mini}");
    assertEquals(
        Map.of("deepseek-v3.2", "deepseek-chat", "gpt-4o-mini", "gpt-4o-mini"), ds.models());
    assertTrue(ds.serves("deepseek-v3.2"));
    assertEquals("deepseek-chat", ds.upstreamModel("deepseek-v3.2"));
    assertFalse(ds.serves("claude-sonnet-4.5"), "a listed fallback skips unlisted models");
    assertTrue(ds.serves(null), "requests without a model (GET /models) are served");
  }

  @Test
  void withoutModelsEveryModelIsServedUnchanged() {
    UpstreamSpec primary = HolySheepConfig.defaults().upstreams().get(0);
    assertTrue(primary.serves("anything"));
    assertEquals("anything", primary.upstreamModel("anything"));
  }

  @Test
  void keyOrderDoesNotChangeTheHash() {
    String a = "fallbacks: [" + FALLBACK + ", models: {b: x, a: y}}]";
    String b = "fallbacks: [" + FALLBACK + ", models: {a: y, b: x}}]";
    assertEquals(ConfigParser.parse(a).hash(), ConfigParser.parse(b).hash());
    HolySheepConfig c = ConfigParser.parse(a);
    assertTrue(c.toCanonicalJson().contains("\"models\":{\"a\":\"y\",\"b\":\"x\"}"));
    assertEquals(c, ConfigParser.parse(c.toCanonicalJson()));
  }

  @Test
  void emptyModelsAreRefusedBecauseTheFallbackWouldServeNothing() {
    assertOnlyError(
        "fallbacks: [" + FALLBACK + ", models: {}}]",
        "fallbacks[0].models: {} lists no model, so this upstream would serve nothing; omit models"
            + " to serve every model, or allowed: "
            + ModelMaps.ALLOWED);
  }

  @Test
  void badModelNamesAreRefusedNamingTheEntry() {
    assertOnlyError(
        "fallbacks: [" + FALLBACK + ", models: {gpt-4o: 4}}]",
        "fallbacks[0].models.gpt-4o: 4 is not a model name (a string)");
    assertOnlyError(
        "fallbacks: [" + FALLBACK + ", models: {gpt-4o: \"\"}}]",
        "fallbacks[0].models.gpt-4o: \"\" is not a model name; allowed: 1 to 256 characters"
            + " without control characters");
  }

  @Test
  void scalarOrListModelsAreRefused() {
    assertOnlyError(
        "fallbacks: [" + FALLBACK + ", models: gpt-4o}]",
        "fallbacks[0].models: \"gpt-4o\" is not a map; allowed: " + ModelMaps.ALLOWED);
    assertOnlyError(
        "fallbacks: [" + FALLBACK + ", models: [gpt-4o]}]",
        "fallbacks[0].models: [\"gpt-4o\"] is not a map; allowed: " + ModelMaps.ALLOWED);
  }

  @Test
  void theModelMapIsImmutable() {
    UpstreamSpec ds = fallbackWith("{gpt-4o: gpt-4o}");
    org.junit.jupiter.api.Assertions.assertThrows(
        UnsupportedOperationException.class, () -> ds.models().put("x", "y"));
    assertEquals(List.of("gpt-4o"), List.copyOf(ds.models().keySet()));
  }
}
