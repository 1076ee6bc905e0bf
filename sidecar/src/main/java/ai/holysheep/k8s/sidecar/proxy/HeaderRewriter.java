package ai.holysheep.k8s.sidecar.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request and response header rules. Incoming {@code Authorization} is dropped (the attempt adds
 * the upstream's key), as are {@code OpenAI-Organization}, {@code OpenAI-Project} and hop-by-hop
 * headers; {@code x-request-id} is kept or added; streams ask for an identity encoding.
 */
public final class HeaderRewriter {
  public static final String REQUEST_ID = "x-request-id";

  /** Names (any case) never forwarded to an upstream. */
  static final Set<String> DROPPED_REQUEST_HEADERS =
      caseInsensitive(
          "authorization",
          "openai-organization",
          "openai-project",
          "api-key",
          "x-api-key",
          "host",
          "content-length",
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "expect",
          "accept-encoding",
          "x-holysheep-upstream");

  /** Names (any case) never copied from an upstream answer to the app. */
  static final Set<String> DROPPED_RESPONSE_HEADERS =
      caseInsensitive(
          "content-length",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private HeaderRewriter() {}

  /**
   * The headers sent to every upstream for this request (without {@code Authorization}).
   *
   * @param requestId the request id to use when the app sent none
   */
  public static MultiMap upstreamHeaders(MultiMap incoming, String requestId, boolean stream) {
    // Not a validating map: the names and values were checked when the request was decoded, and
    // the upstream request validates them again when they are copied into it.
    MultiMap result = MultiMap.caseInsensitiveMultiMap();
    boolean hasRequestId = false;
    Set<String> named = connectionNamed(incoming);
    for (Map.Entry<String, String> header : incoming) {
      String name = header.getKey();
      if (isDropped(name, DROPPED_REQUEST_HEADERS) || named != null && named.contains(name)) {
        continue;
      }
      if (name.equalsIgnoreCase(REQUEST_ID)) {
        hasRequestId = true;
      }
      result.add(name, header.getValue());
    }
    if (!hasRequestId) {
      result.add(REQUEST_ID, requestId);
    }
    if (stream) {
      result.set(HttpHeaders.ACCEPT_ENCODING, HttpHeaders.IDENTITY);
    }
    return result;
  }

  /** Copies an upstream answer's end-to-end headers to the app's response. */
  public static void copyResponseHeaders(MultiMap from, MultiMap to) {
    Set<String> named = connectionNamed(from);
    for (Map.Entry<String, String> header : from) {
      if (!isDropped(header.getKey(), DROPPED_RESPONSE_HEADERS)
          && (named == null || !named.contains(header.getKey()))) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }

  /**
   * Header names a {@code Connection} header lists (RFC 9110 7.6.1: they are hop-by-hop too), or
   * null when it lists none but the usual {@code keep-alive}/{@code close}.
   */
  static Set<String> connectionNamed(MultiMap headers) {
    Set<String> named = null;
    for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String token = value.substring(start, end).trim();
        if (!token.isEmpty()
            && !token.equalsIgnoreCase("keep-alive")
            && !token.equalsIgnoreCase("close")) {
          if (named == null) {
            named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
          }
          named.add(token);
        }
        start = end + 1;
      }
    }
    return named;
  }

  /** Compared without lower-casing each header name: no allocation per header. */
  private static boolean isDropped(String name, Set<String> dropped) {
    return dropped.contains(name);
  }

  private static Set<String> caseInsensitive(String... names) {
    TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(Arrays.asList(names));
    return Collections.unmodifiableSet(set);
  }

  /** A random 128-bit request id in hex. */
  public static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long high = random.nextLong();
    long low = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[15 - i] = HEX[(int) (high >>> (i * 4)) & 0xf];
      out[31 - i] = HEX[(int) (low >>> (i * 4)) & 0xf];
    }
    return new String(out);
  }
}
