package ai.holysheep.k8s.sidecar;

import ai.holysheep.k8s.config.Durations;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code wait --timeout 60s [--admin-url URL]}: exits 0 once {@code /ready} answers 200, 1 on
 * timeout, 2 on bad flags. The legacy-mode postStart hook, so apps start after the proxy.
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
    HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    URI ready = URI.create(adminUrl + "/ready");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (probe(client, ready)) {
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

  private static boolean probe(HttpClient client, URI ready) {
    try {
      HttpRequest request = HttpRequest.newBuilder(ready).timeout(PROBE_TIMEOUT).GET().build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
