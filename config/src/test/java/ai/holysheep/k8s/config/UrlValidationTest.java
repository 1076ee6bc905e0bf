package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class UrlValidationTest {
  private static final String CLEAR_TEXT =
      " sends the API key in clear text; allowed: https://, http:// to 127.0.0.0/8, ::1 or localhost,"
          + " or set allowInsecure: true on this upstream";

  @Test
  void plainHttpToARemoteHostIsRefused() {
    assertOnlyError(
        "baseUrl: http://api.example.com/v1",
        "baseUrl: \"http://api.example.com/v1\"" + CLEAR_TEXT);
  }

  @Test
  void plainHttpToLoopbackHostsIsAccepted() {
    for (String url :
        new String[] {
          "http://127.0.0.1:8080/v1",
          "http://127.3.4.5/v1",
          "http://localhost:1/v1",
          "http://[::1]:9/v1"
        }) {
      assertEquals(url, ConfigParser.parse("baseUrl: \"" + url + "\"").baseUrl());
    }
  }

  @Test
  void plainHttpToARemoteHostIsAcceptedWithAllowInsecure() {
    assertEquals(
        "http://10.0.0.7/v1",
        ConfigParser.parse("{baseUrl: \"http://10.0.0.7/v1\", allowInsecure: true}").baseUrl());
  }

  @Test
  void trailingSlashesAreDropped() {
    assertEquals(
        "https://api.example.com/v1",
        ConfigParser.parse("baseUrl: https://api.example.com/v1//").baseUrl());
  }

  @Test
  void credentialsInTheUrlAreRefusedAndMasked() {
    String error = errorsOf("baseUrl: https://bob:hunter2@api.example.com/v1").get(0);
    assertEquals(
        "baseUrl: \"https://***@api.example.com/v1\" must not contain a user or password;"
            + " put the API key in the Secret named by apiKeySecretRef",
        error);
    assertFalse(error.contains("hunter2"));
  }

  @Test
  void unparsableUrlWithCredentialsDoesNotEchoThem() {
    String error = errorsOf("baseUrl: \"https://bob:p a#ss@api.example.com/v1\"").get(0);
    assertFalse(error.contains("p a#ss"), error);
  }

  @Test
  void queryAndFragmentAreRefused() {
    String rule =
        " must not contain a query or fragment; use https://host[:port][/path], e.g. https://api.holysheep.ai/v1";
    assertOnlyError(
        "baseUrl: https://a.example/v1?key=1", "baseUrl: \"https://a.example/v1?key=1\"" + rule);
    assertOnlyError(
        "baseUrl: https://a.example/v1#x", "baseUrl: \"https://a.example/v1#x\"" + rule);
  }

  @Test
  void otherSchemesAreRefused() {
    assertOnlyError(
        "baseUrl: ftp://a.example/v1",
        "baseUrl: \"ftp://a.example/v1\" has scheme \"ftp\"; allowed: https, or http for loopback hosts or with allowInsecure: true");
  }

  @Test
  void textWithoutSchemeOrHostIsNotAUrl() {
    String rule = " is not a URL; use https://host[:port][/path], e.g. https://api.holysheep.ai/v1";
    assertOnlyError("baseUrl: api.example.com/v1", "baseUrl: \"api.example.com/v1\"" + rule);
    assertOnlyError("baseUrl: \"https:///v1\"", "baseUrl: \"https:///v1\"" + rule);
  }

  @Test
  void portOutsideTheTcpRangeIsRefused() {
    assertOnlyError(
        "baseUrl: https://a.example:70000/v1",
        "baseUrl: \"https://a.example:70000/v1\" has port 70000; allowed: 1 to 65535");
  }
}
