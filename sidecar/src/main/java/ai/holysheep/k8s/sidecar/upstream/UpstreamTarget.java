package ai.holysheep.k8s.sidecar.upstream;

import java.net.URI;

/** Scheme, host, port and base path of an upstream base URL such as https://h/v1. */
public record UpstreamTarget(boolean ssl, String host, int port, String basePath) {

  public static UpstreamTarget parse(String field, String baseUrl) {
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": \"" + baseUrl + "\" is not a URL", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException(
          field + ": \"" + baseUrl + "\" must start with https:// (or http:// on loopback)");
    }
    boolean ssl = scheme.equals("https");
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException(field + ": \"" + baseUrl + "\" has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new UpstreamTarget(ssl, host, port, path);
  }

  /**
   * The upstream request URI for an incoming {@code /v1/...} URI: the base path replaces the
   * leading {@code /v1}.
   */
  public String upstreamUri(String incomingUri) {
    return basePath + incomingUri.substring(3);
  }

  /** The base URL without any user info, safe to show in /status. */
  public String display() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (ssl ? "https://" : "http://") + h + ":" + port + basePath;
  }
}
