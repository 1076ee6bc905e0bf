package ai.holysheep.k8s.sidecar.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * Tells whether a request asks for a server-sent-event stream without parsing its JSON: looks for a
 * top-level-looking {@code "stream": true} (a quote escaped inside a string is preceded by a
 * backslash and does not match), or {@code Accept: text/event-stream}.
 */
public final class StreamRequests {
  private static final byte[] STREAM = {'"', 's', 't', 'r', 'e', 'a', 'm', '"'};

  private StreamRequests() {}

  public static boolean isStream(Buffer body, String accept) {
    if (accept != null && accept.contains("text/event-stream")) {
      return true;
    }
    if (body == null) {
      return false;
    }
    int length = body.length();
    int from = 0;
    while (true) {
      int at = ai.holysheep.k8s.sidecar.metrics.Bytes.indexOf(body, STREAM, from, length);
      if (at < 0) {
        return false;
      }
      from = at + STREAM.length;
      if (at > 0 && body.getByte(at - 1) == '\\') {
        continue;
      }
      int i = skipSpace(body, from, length);
      if (i < length && body.getByte(i) == ':') {
        i = skipSpace(body, i + 1, length);
        if (length - i >= 4
            && body.getByte(i) == 't'
            && body.getByte(i + 1) == 'r'
            && body.getByte(i + 2) == 'u'
            && body.getByte(i + 3) == 'e') {
          return true;
        }
      }
    }
  }

  private static int skipSpace(Buffer body, int i, int length) {
    while (i < length) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        break;
      }
      i++;
    }
    return i;
  }
}
