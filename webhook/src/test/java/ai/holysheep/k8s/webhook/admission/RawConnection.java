package ai.holysheep.k8s.webhook.admission;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection written byte by byte, as a slow, stuck or keep-alive client does: what an HTTP
 * client library hides (half-sent request lines and bodies, several requests on one connection,
 * whether the server closed it) is visible here. Every read is bounded.
 */
public final class RawConnection implements AutoCloseable {
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /** A response head and body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawConnection(SSLContext trust, int port) throws IOException {
    this(trust, port, 0);
  }

  /**
   * With a send buffer of about {@code sendBufferBytes} (0: the system's, which grows to 4 MiB on
   * Linux). Once the server has closed, a write of more than the send buffer holds cannot succeed
   * (nothing acknowledges it), so whether the server still reads shows whatever the timing.
   */
  public RawConnection(SSLContext trust, int port, int sendBufferBytes) throws IOException {
    Socket plain = new Socket();
    if (sendBufferBytes > 0) {
      plain.setSendBufferSize(sendBufferBytes);
    }
    plain.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
    plain.setSoTimeout((int) READ_TIMEOUT.toMillis());
    socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.startHandshake();
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public RawConnection send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  public RawConnection send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The head of a POST with a declared body length; the body is sent separately. */
  public RawConnection postHead(String path, long contentLength) throws IOException {
    return send(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
            + contentLength
            + "\r\n\r\n");
  }

  /** The head of a POST whose body follows in chunks ({@link #sendChunk}), length unknown. */
  public RawConnection postChunkedHead(String path) throws IOException {
    return send(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n");
  }

  /** One chunk of a chunked body; an empty one ends the body. */
  public RawConnection sendChunk(byte[] data) throws IOException {
    send(Integer.toHexString(data.length) + "\r\n");
    if (data.length > 0) {
      send(data);
    }
    return send("\r\n");
  }

  /** A whole POST on this (kept-alive) connection. */
  public RawConnection post(String path, byte[] body) throws IOException {
    postHead(path, body.length);
    return send(body);
  }

  /** Reads one response (Content-Length bodies only, which is what the webhook sends). */
  public Response read() throws IOException {
    String head = readHead();
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a response head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** True when the server closes the connection (end of stream) within {@code wait}. */
  public boolean closedByServer(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      }
    }
  }

  /**
   * True when the server ends the stream cleanly (TLS close_notify, then FIN) within {@code wait};
   * false when it is still open then. A reset is thrown: unlike {@link #closedByServer}, a peer
   * that dropped unread bytes does not pass for one that closed in order.
   */
  public boolean endedCleanly(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      int next = in.read();
      if (next >= 0) {
        throw new IOException("expected the end of the stream, got a byte: " + next);
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
