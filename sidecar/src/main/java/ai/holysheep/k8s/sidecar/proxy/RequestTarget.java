package ai.holysheep.k8s.sidecar.proxy;

/**
 * Checks the raw request target before any key is attached: only origin-form ({@code /v1/…}), no
 * dot segments ({@code /v1/../x}, also percent-encoded), no encoded slash or backslash (an upstream
 * or a proxy before it may decode them into a different path).
 */
final class RequestTarget {
  private RequestTarget() {}

  /** Why the target is refused, or null when it is fine. */
  static String refusal(String uri) {
    if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') {
      return "the request target must be a path such as /v1/chat/completions"
          + " (absolute-form and authority-form targets are refused)";
    }
    int end = uri.indexOf('?');
    if (end < 0) {
      end = uri.length();
    }
    int segmentStart = 1;
    for (int i = 1; i <= end; i++) {
      char c = i < end ? uri.charAt(i) : '/';
      if (c == '\\') {
        return "the request path must not contain a backslash";
      }
      if (c == '%' && i + 2 < end && encodesSeparator(uri.charAt(i + 1), uri.charAt(i + 2))) {
        return "the request path must not contain an encoded '/' or '\\'";
      }
      if (c == '/') {
        if (isDotSegment(uri, segmentStart, i)) {
          return "the request path must not contain '.' or '..' segments";
        }
        segmentStart = i + 1;
      }
    }
    return null;
  }

  private static boolean encodesSeparator(char high, char low) {
    return high == '2' && (low == 'f' || low == 'F') || high == '5' && (low == 'c' || low == 'C');
  }

  /** {@code .} or {@code ..}, each dot possibly written {@code %2e}. */
  private static boolean isDotSegment(String uri, int from, int to) {
    int dots = 0;
    int i = from;
    while (i < to) {
      if (uri.charAt(i) == '.') {
        i++;
      } else if (uri.startsWith("%2e", i) || uri.startsWith("%2E", i)) {
        i += 3;
      } else {
        return false;
      }
      dots++;
    }
    return dots == 1 || dots == 2;
  }
}
