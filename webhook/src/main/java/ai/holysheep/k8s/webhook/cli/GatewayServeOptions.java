package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.webhook.inject.GatewayUpstream;
import ai.holysheep.k8s.webhook.inject.Upstream;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code serve} flags about the gateway and the cluster default config (the chart's {@code
 * gateway.*}, {@code sidecar.upstream} and {@code config.clusterConfigName}).
 *
 * @param defaultUpstream {@code --default-upstream direct|gateway}
 * @param url {@code --gateway-url}: the gateway Service's base URL, or null without a gateway
 * @param service {@code --gateway-service}: its Service name (self mode: the certificate's SANs)
 * @param tlsSecret {@code --gateway-tls-secret}: self mode: the Secret the webhook issues for it
 * @param caFile {@code --gateway-ca-file}: certManager/files modes: the PEM of the gateway's CA
 * @param audience {@code --gateway-audience}: the audience of the sidecars' projected token
 * @param clusterConfigName {@code --cluster-config-name}, or null
 */
public record GatewayServeOptions(
    Upstream defaultUpstream,
    String url,
    String service,
    String tlsSecret,
    Path caFile,
    String audience,
    String clusterConfigName) {

  static GatewayServeOptions none() {
    return new GatewayServeOptions(
        Upstream.DIRECT, null, null, null, null, GatewayUpstream.DEFAULT_AUDIENCE, null);
  }

  /** A copy with {@code flag} applied, or null when it is not one of these flags. */
  GatewayServeOptions with(String flag, String v) {
    return switch (flag) {
      case "--default-upstream" -> {
        Upstream parsed = Upstream.parse(v);
        if (parsed == null) {
          throw new IllegalArgumentException(
              "--default-upstream: \"" + v + "\" is invalid; expected direct or gateway");
        }
        yield new GatewayServeOptions(
            parsed, url, service, tlsSecret, caFile, audience, clusterConfigName);
      }
      case "--gateway-url" ->
          new GatewayServeOptions(
              defaultUpstream, url(v), service, tlsSecret, caFile, audience, clusterConfigName);
      case "--gateway-service" ->
          new GatewayServeOptions(
              defaultUpstream, url, v, tlsSecret, caFile, audience, clusterConfigName);
      case "--gateway-tls-secret" ->
          new GatewayServeOptions(
              defaultUpstream, url, service, v, caFile, audience, clusterConfigName);
      case "--gateway-ca-file" ->
          new GatewayServeOptions(
              defaultUpstream, url, service, tlsSecret, Path.of(v), audience, clusterConfigName);
      case "--gateway-audience" ->
          new GatewayServeOptions(
              defaultUpstream, url, service, tlsSecret, caFile, v, clusterConfigName);
      case "--cluster-config-name" ->
          new GatewayServeOptions(
              defaultUpstream, url, service, tlsSecret, caFile, audience, v.isBlank() ? null : v);
      default -> null;
    };
  }

  /** Checks the flags fit together for {@code mode}. */
  void check(CertMode mode) {
    if (defaultUpstream == Upstream.GATEWAY && url == null) {
      throw new IllegalArgumentException("--default-upstream gateway needs --gateway-url");
    }
    if (url == null) {
      return;
    }
    if (mode == CertMode.SELF && (service == null || tlsSecret == null)) {
      throw new IllegalArgumentException(
          "--gateway-url in self mode needs --gateway-service and --gateway-tls-secret (the"
              + " webhook issues the gateway's certificate)");
    }
    if (mode != CertMode.SELF && caFile == null) {
      throw new IllegalArgumentException(
          "--gateway-url in certManager and files modes needs --gateway-ca-file (the PEM of the"
              + " gateway's CA, e.g. ca.crt of its TLS Secret)");
    }
  }

  private static String url(String v) {
    try {
      URI uri = URI.create(v);
      if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--gateway-url: \"" + v + "\" is invalid; expected https://SERVICE.NAMESPACE.svc:PORT/v1");
  }
}
