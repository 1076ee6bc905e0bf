package ai.holysheep.k8s.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks upstream and Redis URLs; returns a message on failure, null when the URL is fine. */
final class UrlRules {
  static final int MAX_URL_CHARS = 2048;
  static final String UPSTREAM_FORM =
      "https://host[:port][/path], e.g. https://api.holysheep.ai/v1";
  static final String REDIS_FORM = "redis://host[:port][/db] or rediss://host[:port][/db]";

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");
  private static final Pattern DB_PATH = Pattern.compile("(/\\d{0,5})?");

  private UrlRules() {}

  /** An http(s) upstream; plain http only to loopback hosts or with {@code allowInsecure}. */
  static String checkUpstream(String url, boolean allowInsecure) {
    URI uri = parse(url);
    String shape = shapeProblem(url, uri, UPSTREAM_FORM);
    if (shape != null) {
      return shape;
    }
    if (uri.getRawUserInfo() != null) {
      return Problems.quoteUrl(url)
          + " must not contain a user or password; put the API key in the Secret named by apiKeySecretRef";
    }
    String scheme = uri.getScheme();
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Problems.quoteUrl(url)
          + " has scheme "
          + Problems.quote(scheme)
          + "; allowed: https, or http for loopback hosts or with allowInsecure: true";
    }
    if (scheme.equals("http") && !allowInsecure && !isLoopback(uri.getHost())) {
      return Problems.quoteUrl(url)
          + " sends the API key in clear text; allowed: https://, http:// to 127.0.0.0/8, ::1 or localhost,"
          + " or set allowInsecure: true on this upstream";
    }
    return null;
  }

  /** A Redis URL without credentials (they come from cache.redisSecretRef). */
  static String checkRedis(String url) {
    URI uri = parse(url);
    String shape = shapeProblem(url, uri, REDIS_FORM);
    if (shape != null) {
      return shape;
    }
    if (uri.getRawUserInfo() != null) {
      return Problems.quoteUrl(url)
          + " must not contain a user or password; put the password in the Secret named by cache.redisSecretRef";
    }
    if (!uri.getScheme().equals("redis") && !uri.getScheme().equals("rediss")) {
      return Problems.quoteUrl(url)
          + " has scheme "
          + Problems.quote(uri.getScheme())
          + "; allowed: redis, rediss";
    }
    if (!DB_PATH.matcher(uri.getRawPath()).matches()) {
      return Problems.quoteUrl(url)
          + " has path "
          + Problems.quote(uri.getRawPath())
          + "; allowed: none or a database number, e.g. /0";
    }
    return null;
  }

  /** Drops trailing slashes so the sidecar can append request paths. */
  static String normalizeUpstream(String url) {
    String trimmed = url;
    while (trimmed.endsWith("/") && !trimmed.endsWith("://")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    if (host.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(host).matches()) {
      return true;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      try {
        // A bracketed literal: parsed locally, never resolved through DNS.
        return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static URI parse(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String shapeProblem(String url, URI uri, String form) {
    if (url.length() > MAX_URL_CHARS) {
      return "is " + url.length() + " characters long; allowed: at most " + MAX_URL_CHARS;
    }
    if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.isOpaque()) {
      return Problems.quoteUrl(url) + " is not a URL; use " + form;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return Problems.quoteUrl(url) + " must not contain a query or fragment; use " + form;
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      return Problems.quoteUrl(url) + " has port " + uri.getPort() + "; allowed: 1 to 65535";
    }
    return null;
  }
}
