package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FallbacksTest {
  private static final String TWO_FALLBACKS =
      "fallbacks:\n"
          + "- {name: secondary, baseUrl: https://b.example/v1, apiKeySecretRef: {name: b-key, key: token}}\n"
          + "- name: local\n"
          + "  baseUrl: http://127.0.0.1:9000/v1/\n"
          + "  apiKeySecretRef: {name: c-key, key: api-key}\n"
          + "  caFile: /etc/ca.pem\n";

  @Test
  void upstreamsArePrimaryThenFallbacksInOrderWithNumberedKeyEnv() {
    List<UpstreamSpec> upstreams = ConfigParser.parse(TWO_FALLBACKS).upstreams();
    assertEquals(
        List.of(
            new UpstreamSpec(
                "primary",
                "https://api.holysheep.ai/v1",
                new SecretKeyRef("holysheep-credentials", "api-key"),
                "HOLYSHEEP_API_KEY",
                false,
                null),
            new UpstreamSpec(
                "secondary",
                "https://b.example/v1",
                new SecretKeyRef("b-key", "token"),
                "HOLYSHEEP_API_KEY_1",
                false,
                null),
            new UpstreamSpec(
                "local",
                "http://127.0.0.1:9000/v1",
                new SecretKeyRef("c-key", "api-key"),
                "HOLYSHEEP_API_KEY_2",
                false,
                "/etc/ca.pem")),
        upstreams);
  }

  @Test
  void withoutFallbacksOnlyThePrimaryIsListed() {
    assertEquals(
        List.of("primary"),
        HolySheepConfig.defaults().upstreams().stream().map(UpstreamSpec::name).toList());
  }

  @Test
  void fallbackWithoutItsOwnKeyIsRejected() {
    assertOnlyError(
        "fallbacks: [{name: b, baseUrl: https://b.example/v1}]",
        "fallbacks[0].apiKeySecretRef: missing; required: {name, key} of the Secret holding this fallback's API key"
            + " (a fallback never inherits another upstream's key), or apiKeyFile: PATH");
  }

  @Test
  void fallbackKeyRefNeedsBothNameAndKey() {
    assertOnlyError(
        "fallbacks: [{name: b, baseUrl: https://b.example/v1, apiKeySecretRef: {name: b-key}}]",
        "fallbacks[0].apiKeySecretRef.key: missing; required: letters, digits, '-', '_' and '.',"
            + " not starting with '..', at most 253 characters");
  }

  @Test
  void fallbackNamedPrimaryIsRejected() {
    assertOnlyError(
        "fallbacks: [{name: primary, baseUrl: https://b.example/v1, apiKeySecretRef: {name: k, key: k}}]",
        "fallbacks[0].name: \"primary\" is reserved for the primary upstream; allowed: any other name");
  }

  @Test
  void fallbackNameMustBeADnsLabel() {
    assertOnlyError(
        "fallbacks: [{name: Second.One, baseUrl: https://b.example/v1, apiKeySecretRef: {name: k, key: k}}]",
        "fallbacks[0].name: \"Second.One\" is not a valid name; allowed: lowercase letters, digits and '-',"
            + " starting and ending with a letter or digit, at most 63 characters");
  }

  @Test
  void duplicateFallbackNamesAreRejected() {
    assertOnlyError(
        "fallbacks:\n"
            + "- {name: b, baseUrl: https://b.example/v1, apiKeySecretRef: {name: k, key: k}}\n"
            + "- {name: b, baseUrl: https://c.example/v1, apiKeySecretRef: {name: k, key: k}}\n",
        "fallbacks[1].name: \"b\" is already used by fallbacks[0].name; names must be unique");
  }

  @Test
  void fallbackWithoutNameOrUrlReportsBoth() {
    assertEquals(
        List.of(
            "fallbacks[0].name: missing; required: a unique name (lowercase letters, digits and '-',"
                + " starting and ending with a letter or digit, at most 63 characters)",
            "fallbacks[0].baseUrl: missing; required: https://host[:port][/path], e.g. https://api.holysheep.ai/v1"),
        errorsOf("fallbacks: [{apiKeySecretRef: {name: k, key: k}}]"));
  }

  @Test
  void fallbackHttpNeedsItsOwnAllowInsecure() {
    assertOnlyError(
        "allowInsecure: true\nfallbacks: [{name: b, baseUrl: http://b.example/v1, apiKeySecretRef: {name: k, key: k}}]",
        "fallbacks[0].baseUrl: \"http://b.example/v1\" sends the API key in clear text; allowed: https://,"
            + " http:// to 127.0.0.0/8, ::1 or localhost, or set allowInsecure: true on this upstream");
    assertEquals(
        "http://b.example/v1",
        ConfigParser.parse(
                "fallbacks: [{name: b, baseUrl: http://b.example/v1, allowInsecure: true, apiKeySecretRef: {name: k, key: k}}]")
            .fallbacks()
            .get(0)
            .baseUrl());
  }

  @Test
  void unknownFallbackFieldListsTheAllowedNames() {
    assertOnlyError(
        "fallbacks: [{name: b, baseUrl: https://b.example/v1, apiKeySecretRef: {name: k, key: k}, apikey: x}]",
        "fallbacks[0].apikey: unknown field; allowed: name, baseUrl, apiKeySecretRef, apiKeyFile, allowInsecure, caFile, caPem, models");
  }

  @Test
  void fallbacksMustBeAListOfObjects() {
    assertOnlyError(
        "fallbacks: {name: b}",
        "fallbacks: {\"name\":\"b\"} is not a list; use a list of {name, baseUrl, apiKeySecretRef, apiKeyFile, allowInsecure, caFile, caPem, models}");
    assertOnlyError(
        "fallbacks: [b]",
        "fallbacks[0]: \"b\" is not an object; allowed fields: name, baseUrl, apiKeySecretRef, apiKeyFile, allowInsecure, caFile, caPem, models");
  }

  @Test
  void moreThanTenFallbacksAreRejected() {
    StringBuilder yaml = new StringBuilder("fallbacks:\n");
    for (int i = 0; i < 11; i++) {
      yaml.append("- {name: f")
          .append(i)
          .append(", baseUrl: https://f.example/v1, apiKeySecretRef: {name: k, key: k}}\n");
    }
    assertOnlyError(yaml.toString(), "fallbacks: has 11 entries; allowed: at most 10");
  }
}
