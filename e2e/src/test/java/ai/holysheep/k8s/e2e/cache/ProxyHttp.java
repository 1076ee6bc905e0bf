package ai.holysheep.k8s.e2e.cache;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Blocking loopback HTTP for end-to-end checks; every call is bounded. */
final class ProxyHttp {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private ProxyHttp() {}

  static String chatBody(String content) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content
        + "\"}]}";
  }

  static HttpResponse<String> post(String baseUrl, String path, String json)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer placeholder")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static HttpResponse<String> get(String baseUrl, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(
        request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Value of {@code holysheep_cache_requests_total{result=...}} on an admin {@code /metrics}. */
  static double cacheCount(String adminUrl, String result)
      throws IOException, InterruptedException {
    String metrics = get(adminUrl, "/metrics").body();
    Matcher line =
        Pattern.compile(
                "(?m)^holysheep_cache_requests_total\\{[^}]*result=\""
                    + Pattern.quote(result)
                    + "\"[^}]*\\}\\s+([0-9.eE+-]+)")
            .matcher(metrics);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }

  static boolean isStale(HttpResponse<?> response) {
    return response.headers().firstValue("x-holysheep-cache").map("stale"::equals).orElse(false);
  }
}
