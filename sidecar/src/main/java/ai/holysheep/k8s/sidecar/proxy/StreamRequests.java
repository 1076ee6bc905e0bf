package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonBytes;
import io.vertx.core.buffer.Buffer;

/**
 * Tells whether a request asks for a server-sent-event stream without parsing its JSON: a {@code
 * "stream": true} in the body (byte scan), or {@code Accept: text/event-stream}.
 */
public final class StreamRequests {
  private static final byte[] STREAM = JsonBytes.quoted("stream");

  private StreamRequests() {}

  public static boolean isStream(Buffer body, String accept) {
    if (accept != null && accept.contains("text/event-stream")) {
      return true;
    }
    return JsonBytes.isTrue(body, STREAM);
  }
}
