package ai.holysheep.k8s.sidecar;

import ai.holysheep.k8s.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code wait --timeout 60s [--admin-url URL]}: exits 0 once {@code /ready} answers 200, 1 on
 * timeout, 2 on bad flags. The legacy-mode postStart hook, so apps start after the proxy.
 *
 * <p>It runs in the sidecar's container, beside the starting sidecar and within its CPU and memory
 * limits, so it is kept small: one HTTP/1.1 GET over a plain socket per poll ({@code
 * java.net.http.HttpClient} alone loaded hundreds of classes and started its own threads), and the
 * webhook starts its JVM with light flags ({@code SidecarTemplate}).
 */
final class WaitCommand {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private WaitCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Duration timeout = DEFAULT_TIMEOUT;
    String adminUrl =
        "http://127.0.0.1:"
            + CliArgs.port(env, "HOLYSHEEP_ADMIN_PORT", SidecarOptions.DEFAULT_ADMIN_PORT);
    try {
      for (int i = 1; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + ": missing value");
        }
        String value = args[++i];
        switch (flag) {
          case "--timeout" -> timeout = Durations.parse("--timeout", value);
          case "--admin-url" -> adminUrl = value.replaceAll("/+$", "");
          default ->
              throw new IllegalArgumentException(
                  flag + ": unknown flag; allowed: --timeout DURATION, --admin-url URL");
        }
      }
    } catch (RuntimeException e) {
      err.println("holysheep-sidecar wait: " + e.getMessage());
      return 2;
    }
    URI ready;
    try {
      ready = URI.create(adminUrl + "/ready");
      if (!"http".equals(ready.getScheme()) || ready.getHost() == null) {
        throw new IllegalArgumentException("not an http://HOST:PORT URL");
      }
    } catch (IllegalArgumentException e) {
      err.println("holysheep-sidecar wait: --admin-url " + adminUrl + ": " + e.getMessage());
      return 2;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (probe(ready)) {
        out.println("holysheep-sidecar is ready");
        return 0;
      }
      if (System.nanoTime() >= deadline) {
        err.println("holysheep-sidecar wait: " + ready + " did not answer 200 within " + timeout);
        return 1;
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }

  /** One {@code GET} with {@code Connection: close}; true when the status line says 200. */
  static boolean probe(URI ready) {
    int port = ready.getPort() < 0 ? 80 : ready.getPort();
    String host =
        ready.getHost(); // an IPv6 literal keeps its brackets here, as the Host header needs
    String address = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try (Socket socket = new Socket()) {
      int timeout = (int) PROBE_TIMEOUT.toMillis();
      socket.connect(new InetSocketAddress(address, port), timeout);
      socket.setSoTimeout(timeout);
      OutputStream request = socket.getOutputStream();
      request.write(
          ("GET "
                  + ready.getRawPath()
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      request.flush();
      String status = statusLine(socket.getInputStream());
      return status.startsWith("HTTP/1.")
          && status.startsWith(" 200", 8)
          && (status.length() == 12 || status.charAt(12) == ' ');
    } catch (IOException e) {
      return false;
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n' && line.length() < 256; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
