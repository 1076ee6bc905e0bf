package ai.holysheep.k8s.sidecar.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.ListenAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayCliTest {
  private static final Map<String, String> IN_CLUSTER =
      Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

  @Test
  void defaultsListenOnTheSecurePortAndUseInClusterCredentials() {
    GatewayCli.Command command = GatewayCli.parse(new String[0], IN_CLUSTER);
    assertEquals(List.of(new ListenAddress("0.0.0.0", 8443)), command.listen());
    GatewayOptions options = command.options();
    assertEquals(URI.create("https://10.96.0.1:443"), options.kubeApi().server());
    assertEquals(
        Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"),
        options.kubeApi().tokenFile());
    assertEquals("holysheep-gateway", options.review().audience());
    assertEquals("holysheep.ai/injection=enabled", options.access().labelText());
    assertEquals(Path.of("/etc/holysheep/gateway-tls/tls.crt"), options.tls().certFile());
  }

  @Test
  void anIpv6ApiServerAddressIsBracketed() {
    GatewayCli.Command command =
        GatewayCli.parse(new String[0], Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"));
    assertEquals(URI.create("https://[fd00::1]:443"), command.options().kubeApi().server());
  }

  @Test
  void readsEveryGatewayFlagAndPassesTheSidecarOnesOn() {
    GatewayCli.Command command =
        GatewayCli.parse(
            new String[] {
              "--listen",
              "[::]:9443",
              "--tls-cert=/tls/crt",
              "--tls-key",
              "/tls/key",
              "--allow-namespaces",
              "team-a, team-b",
              "--namespace-label",
              "none",
              "--review-ttl",
              "30s",
              "--audience",
              "my-gateway",
              "--kube-api",
              "https://127.0.0.1:6443",
              "--kube-token-file",
              "/t",
              "--kube-ca-file",
              "/ca",
              "--config",
              "/etc/holysheep/config/config.yaml",
              "--admin-listen",
              "0.0.0.0:15081"
            },
            Map.of());
    GatewayOptions options = command.options();
    assertEquals(List.of(new ListenAddress("::", 9443)), command.listen());
    assertEquals(Path.of("/tls/crt"), options.tls().certFile());
    assertEquals(Path.of("/tls/key"), options.tls().keyFile());
    assertEquals(Set.of("team-a", "team-b"), options.access().namespaces());
    assertFalse(options.access().checksLabel());
    assertEquals(Duration.ofSeconds(30), options.review().ttl());
    assertEquals("my-gateway", options.review().audience());
    assertEquals(URI.create("https://127.0.0.1:6443"), options.kubeApi().server());
    assertEquals(Path.of("/t"), options.kubeApi().tokenFile());
    assertEquals(Path.of("/ca"), options.kubeApi().caFile());
    assertArrayEquals(
        new String[] {
          "--config", "/etc/holysheep/config/config.yaml", "--admin-listen", "0.0.0.0:15081"
        },
        command.sidecarArgs());
  }

  @Test
  void badInputIsRefusedNamingTheFlagAndValue() {
    assertMessage("--nope: unknown flag", "--nope", "1");
    assertMessage("--review-ttl: \"soon\" is not a duration", "--review-ttl", "soon");
    assertMessage(
        "--namespace-label: \"enabled\" is not KEY=VALUE", "--namespace-label", "enabled");
    assertMessage(
        "allowed namespace \"Team_A\" is not a namespace name", "--allow-namespaces", "Team_A");
    assertMessage("--kube-api: \"ftp://x\" is not a URL", "--kube-api", "ftp://x");
    assertMessage("--listen: missing value", "--listen");
  }

  @Test
  void outsideAPodWithoutAnApiServerItSaysWhatIsMissing() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> GatewayCli.parse(new String[0], Map.of()));
    assertTrue(e.getMessage().startsWith("KUBERNETES_SERVICE_HOST is not set"), e.getMessage());
  }

  private static void assertMessage(String start, String... args) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GatewayCli.parse(args, IN_CLUSTER));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
