package ai.holysheep.k8s.webhook.tls;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Low-level TLS checks against a server on 127.0.0.1. */
public final class TlsProbe {
  public static final Duration TIMEOUT = Duration.ofSeconds(5);
  public static final int TLS_1_0 = 0x0301;
  public static final int TLS_1_1 = 0x0302;
  public static final int TLS_1_2 = 0x0303;

  private TlsProbe() {}

  /**
   * Handshakes with 127.0.0.1:{@code port} as if the host were {@code hostName} (SNI and HTTPS
   * endpoint identification), so the handshake only succeeds when a SAN matches that name.
   */
  public static X509Certificate handshake(SSLContext context, int port, String hostName)
      throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
    plain.setSoTimeout((int) TIMEOUT.toMillis());
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, port, true)) {
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!Character.isDigit(hostName.charAt(0))) {
        params.setServerNames(List.of(new SNIHostName(hostName)));
      }
      socket.setSSLParameters(params);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /**
   * Sends a hand-made ClientHello offering only {@code version} (no supported_versions extension,
   * so nothing newer can be negotiated) and returns the first record's content type and, for a
   * handshake record, the ServerHello version: {@code 0x16xxxx} = ServerHello with version xxxx,
   * {@code 0x15} = alert, {@code -1} = connection closed. This bypasses the JDK's own client-side
   * protocol restrictions, so it shows what the server accepts.
   */
  public static int helloWith(int port, int version) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(clientHello(version));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int type;
      try {
        type = in.readUnsignedByte();
      } catch (java.net.SocketTimeoutException silent) {
        throw new IOException("no answer within " + TIMEOUT, silent);
      } catch (IOException closed) {
        return -1;
      }
      if (type != 0x16) {
        return type;
      }
      in.readUnsignedShort(); // record version
      in.readUnsignedShort(); // record length
      int handshakeType = in.readUnsignedByte();
      in.readUnsignedByte();
      in.readUnsignedShort(); // handshake length
      int serverVersion = in.readUnsignedShort();
      return handshakeType == 2 ? (0x16 << 16) | serverVersion : type;
    }
  }

  private static byte[] clientHello(int version) {
    ByteBuffer ext = ByteBuffer.allocate(64);
    ext.putShort((short) 0x000a).putShort((short) 4).putShort((short) 2).putShort((short) 0x0017);
    ext.putShort((short) 0x000b).putShort((short) 2).put((byte) 1).put((byte) 0);
    ext.putShort((short) 0x000d).putShort((short) 4).putShort((short) 2).putShort((short) 0x0403);
    ext.flip();
    int[] suites = {0xC02B, 0xC009, 0xC00A, 0xC013, 0x002F};
    ByteBuffer body = ByteBuffer.allocate(256);
    body.putShort((short) version);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    body.put(random);
    body.put((byte) 0);
    body.putShort((short) (suites.length * 2));
    for (int s : suites) {
      body.putShort((short) s);
    }
    body.put((byte) 1).put((byte) 0);
    body.putShort((short) ext.remaining()).put(ext);
    body.flip();
    int bodyLength = body.remaining();
    ByteBuffer record = ByteBuffer.allocate(bodyLength + 9);
    record.put((byte) 0x16).putShort((short) 0x0301).putShort((short) (bodyLength + 4));
    record.put((byte) 1).put((byte) 0).putShort((short) bodyLength);
    record.put(body);
    return record.array();
  }
}
