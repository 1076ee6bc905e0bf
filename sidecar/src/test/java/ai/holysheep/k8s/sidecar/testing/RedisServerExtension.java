package ai.holysheep.k8s.sidecar.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real, throw-away {@code redis-server} on a free loopback port (no persistence), and can
 * kill and restart it on the same port. Register with {@code @RegisterExtension static}; the server
 * starts on {@link #start()} and is killed after the class.
 */
public final class RedisServerExtension implements AfterAllCallback {
  private static final String BINARY =
      System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server");
  private static final long READY_TIMEOUT_SECONDS = 10;

  private final String password;
  private int port;
  private Process process;

  /** A server without a password. */
  public RedisServerExtension() {
    this(null);
  }

  /** A server that requires {@code password} ({@code requirepass}). */
  public RedisServerExtension(String password) {
    this.password = password;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (on a new free port the first time, on the same port after a kill). */
  public synchronized void start() throws Exception {
    if (process != null && process.isAlive()) {
      return;
    }
    if (port == 0) {
      port = freePort();
    }
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            BINARY,
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "no"));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Process started = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                StringBuilder log = new StringBuilder();
                while ((line = lines.readLine()) != null) {
                  log.append(line).append('\n');
                  if (line.toLowerCase(Locale.ROOT).contains("ready to accept connections")) {
                    ready.complete(null);
                  }
                }
                ready.completeExceptionally(new IOException("redis-server exited:\n" + log));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Kills the server at once (SIGKILL), like a crashed or partitioned Redis. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    kill();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
