package ai.holysheep.k8s.webhook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeOptionsTest {
  static ServeOptions parse(String... args) {
    return ServeOptions.parse(args, Map.of());
  }

  @Test
  void defaultsFollowTheProcessContract() {
    ServeOptions o = ServeOptions.parse(new String[0], Map.of("POD_NAMESPACE", "hs"));
    assertEquals(8443, o.port());
    assertEquals(CertMode.SELF, o.certMode());
    assertEquals(Path.of("/etc/holysheep/tls/tls.crt"), o.tlsCert());
    assertEquals(Path.of("/etc/holysheep/config/config.yaml"), o.configFile());
    assertEquals("hs", o.namespace());
    assertEquals("holysheep-injector", o.serviceName());
    assertEquals("holysheep-injector", o.webhookConfigName());
    assertEquals("holysheep-injector-tls", o.tlsSecret());
    assertEquals(65532L, o.sidecarUid());
    assertEquals("auto", o.nativeSidecar());
    assertEquals(Duration.ofSeconds(5), o.drainDelay());
  }

  @Test
  void flagsOverrideDefaults() {
    ServeOptions o =
        parse(
            "--port",
            "9443",
            "--cert-mode",
            "certManager",
            "--tls-dir",
            "/tls",
            "--sidecar-uid",
            "none",
            "--native-sidecar",
            "true",
            "--drain-delay",
            "250ms",
            "--namespace",
            "x",
            "--no-kube");
    assertEquals(9443, o.port());
    assertEquals(CertMode.CERT_MANAGER, o.certMode());
    assertEquals(Path.of("/tls/tls.key"), o.tlsKey());
    assertNull(o.sidecarUid());
    assertEquals(Duration.ofMillis(250), o.drainDelay());
    assertEquals("x", o.namespace());
    assertTrue(o.noKube());
  }

  @Test
  void badValuesNameTheFlagTheValueAndWhatIsAllowed() {
    assertEquals(
        "--cert-mode: \"vault\" is not a mode; expected self, certManager or files",
        assertThrows(IllegalArgumentException.class, () -> parse("--cert-mode", "vault"))
            .getMessage());
    assertEquals(
        "--port: \"http\" is not a port; expected 0-65535",
        assertThrows(IllegalArgumentException.class, () -> parse("--port", "http")).getMessage());
    assertEquals(
        "--sidecar-uid: \"0\" is invalid; expected a positive non-root uid or none",
        assertThrows(IllegalArgumentException.class, () -> parse("--sidecar-uid", "0"))
            .getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> parse("--native-sidecar", "yes"))
            .getMessage()
            .startsWith("--native-sidecar: \"yes\" is invalid"));
  }

  @Test
  void lingeringCloseIsBoundedByTimeAndBytesWithPositiveValuesOnly() {
    var defaults = parse().serverOptions();
    assertEquals(Duration.ofSeconds(10), defaults.lingerTime());
    assertEquals(8L * 1024 * 1024, defaults.lingerBytes());

    var set = parse("--linger-time", "2s", "--linger-bytes", "512Ki").serverOptions();
    assertEquals(Duration.ofSeconds(2), set.lingerTime());
    assertEquals(512L * 1024, set.lingerBytes());

    var zeroTime = assertThrows(IllegalArgumentException.class, () -> parse("--linger-time", "0s"));
    assertTrue(zeroTime.getMessage().startsWith("--linger-time: \"0s\""), zeroTime.getMessage());
    var zeroBytes =
        assertThrows(IllegalArgumentException.class, () -> parse("--linger-bytes", "0"));
    assertTrue(zeroBytes.getMessage().startsWith("--linger-bytes: \"0\""), zeroBytes.getMessage());
  }

  @Test
  void selfModeWithoutAnApiServerIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse("--no-kube"));
    assertTrue(e.getMessage().startsWith("--cert-mode self needs the API server"), e.getMessage());
  }

  @Test
  void caBundleFileIsCaCrtNextToTheServingPairUnlessNamed() {
    assertEquals(Path.of("/etc/holysheep/tls/ca.crt"), parse().tlsCa());
    assertEquals(Path.of("/tls/ca.crt"), parse("--tls-dir", "/tls").tlsCa());
    assertEquals(
        Path.of("/pem/ca.crt"),
        parse("--tls-cert", "/pem/a.crt", "--tls-key", "/pem/a.key").tlsCa());
    assertEquals(Path.of("/ca/bundle.pem"), parse("--tls-ca", "/ca/bundle.pem").tlsCa());
  }

  @Test
  void certWithoutKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> parse("--tls-cert", "/a.crt"));
  }

  @Test
  void sidecarResourcesDefaultToTheWebhookDefaultsAndEachFlagSetsOne() {
    assertEquals(
        ai.holysheep.k8s.webhook.inject.ProxyResources.defaults(), parse().sidecarResources());
    ServeOptions o =
        parse(
            "--sidecar-cpu-request",
            "100m",
            "--sidecar-memory-request",
            "96Mi",
            "--sidecar-cpu-limit",
            "2",
            "--sidecar-memory-limit",
            "512Mi");
    assertEquals(
        new ai.holysheep.k8s.webhook.inject.ProxyResources("100m", "96Mi", "2", "512Mi"),
        o.sidecarResources());
  }

  @Test
  void aMalformedSidecarResourceNamesTheFlagAndTheValue() {
    assertEquals(
        "--sidecar-memory-limit: \"lots\" is not a Kubernetes quantity; expected e.g. 50m, 1, 64Mi,"
            + " 256Mi",
        assertThrows(IllegalArgumentException.class, () -> parse("--sidecar-memory-limit", "lots"))
            .getMessage());
  }

  @Test
  void gatewayFlagsAreReadAndCheckedForTheCertMode() {
    ServeOptions self =
        ServeOptions.parse(
            new String[] {
              "--default-upstream", "gateway",
              "--gateway-url", "https://gw.holysheep-system.svc:443/v1/",
              "--gateway-service", "gw",
              "--gateway-tls-secret", "gw-tls",
              "--cluster-config-name", "production-cluster"
            },
            Map.of());
    assertEquals(
        ai.holysheep.k8s.webhook.inject.Upstream.GATEWAY, self.gateway().defaultUpstream());
    assertEquals("https://gw.holysheep-system.svc:443/v1", self.gateway().url());
    assertEquals("production-cluster", self.gateway().clusterConfigName());
    assertEquals("holysheep-gateway", self.gateway().audience());
    assertEquals(
        ai.holysheep.k8s.webhook.inject.Upstream.DIRECT,
        ServeOptions.parse(new String[0], Map.of()).gateway().defaultUpstream());
    assertRefused(
        "--default-upstream gateway needs --gateway-url", "--default-upstream", "gateway");
    assertRefused("--default-upstream: \"central\" is invalid", "--default-upstream", "central");
    assertRefused("--gateway-url: \"http://gw/v1\" is invalid", "--gateway-url", "http://gw/v1");
    assertRefused(
        "--gateway-url in self mode needs --gateway-service and --gateway-tls-secret",
        "--gateway-url",
        "https://gw.ns.svc/v1");
    assertRefused(
        "--gateway-url in certManager and files modes needs --gateway-ca-file",
        "--cert-mode",
        "certManager",
        "--gateway-url",
        "https://gw.ns.svc/v1");
  }

  private static void assertRefused(String start, String... args) {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ServeOptions.parse(args, Map.of()));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
