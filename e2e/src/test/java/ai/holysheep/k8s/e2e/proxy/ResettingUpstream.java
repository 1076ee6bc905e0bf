package ai.holysheep.k8s.e2e.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A loopback upstream that ends its TCP connections with a reset (RST, SO_LINGER 0), as a crashed
 * or killed upstream's kernel does: either as soon as a request has arrived, or a moment after a
 * normal keep-alive answer, while the connection sits idle in the sidecar's pool.
 */
final class ResettingUpstream implements AutoCloseable {
  enum Mode {
    RESET_ON_REQUEST,
    ANSWER_THEN_RESET_IDLE
  }

  /** How long an answered connection stays idle in the sidecar's pool before the reset. */
  static final int IDLE_BEFORE_RESET_MILLIS = 100;

  private static final String ANSWER =
      "{\"id\":\"chatcmpl-rst\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

  private final ServerSocket server;
  private final Mode mode;

  ResettingUpstream(Mode mode) throws IOException {
    this.mode = mode;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "resetting-upstream");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread connection = new Thread(() -> serve(socket), "resetting-upstream-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      readRequest(socket.getInputStream());
      if (mode == Mode.ANSWER_THEN_RESET_IDLE) {
        byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        Thread.sleep(IDLE_BEFORE_RESET_MILLIS);
      }
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // the sidecar went first
    } catch (IOException e) {
      // nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads the request head and a body of its Content-Length. */
  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      head.append((char) b);
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
