package ai.holysheep.k8s.e2e.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The traffic that trains the sidecar image's AOT cache (JDK 25, JEP 483/515): what a pod's sidecar
 * does in its first minutes, so that the classes, linkage and method profiles of those paths are in
 * the cache. {@code java -cp holysheep-simulator.jar ai.holysheep.k8s.e2e.bench.TrainingWorkload
 * --proxy URL --admin URL --primary URL}: JSON and streamed chats, embeddings, completions, models,
 * the admin endpoints, a pass-through 400, a stateful route, then the failure paths (5xx and 429
 * fail-over to the fallback, an error object in a 200, a stream cut after its first event) through
 * the simulator's fault API. Exits 1 when the sidecar answered nothing successfully: a cache
 * trained on a broken start would hide the breakage and teach the JIT nothing.
 */
public final class TrainingWorkload {
  static final String USAGE =
      "usage: TrainingWorkload --proxy http://HOST:PORT --admin http://HOST:PORT"
          + " --primary http://HOST:PORT [--scale N]";

  /** Per-request bound: the simulator answers in microseconds; anything longer is a failure. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Concurrent app connections, so pool and multi-connection paths are trained too. */
  static final int CONCURRENCY = 4;

  static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  static final String CHAT_STREAM =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String CHAT_STREAM_USAGE =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String EMBEDDING = "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}";
  static final String COMPLETION = "{\"model\":\"gpt-4o-mini\",\"prompt\":\"hello\"}";

  private final HttpClient client;
  private final URI proxy;
  private final URI admin;
  private final URI primary;
  private final Map<String, Integer> outcomes = new TreeMap<>();

  TrainingWorkload(URI proxy, URI admin, URI primary) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    this.proxy = proxy;
    this.admin = admin;
    this.primary = primary;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = Flags.parse(args, USAGE, "--proxy", "--admin", "--primary");
    int scale = Integer.parseInt(flags.getOrDefault("--scale", "1"));
    TrainingWorkload workload =
        new TrainingWorkload(
            URI.create(flags.get("--proxy")),
            URI.create(flags.get("--admin")),
            URI.create(flags.get("--primary")));
    int succeeded = workload.run(scale, System.out);
    System.exit(succeeded > 0 ? 0 : 1);
  }

  /** Runs every phase; returns the number of 2xx answers from the proxy. */
  int run(int scale, PrintStream out) throws Exception {
    healthy(scale);
    failures();
    healthy(scale);
    out.println("training workload: " + outcomes);
    return outcomes.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" 2xx"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  private void healthy(int scale) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 400 * scale; i++) {
        int n = i;
        done.add(
            pool.submit(
                () -> {
                  post("/v1/chat/completions", CHAT);
                  if (n % 4 == 0) {
                    post("/v1/chat/completions", n % 8 == 0 ? CHAT_STREAM_USAGE : CHAT_STREAM);
                  }
                  if (n % 10 == 0) {
                    post("/v1/embeddings", EMBEDDING);
                    post("/v1/completions", COMPLETION);
                    get(proxy, "/v1/models");
                    get(admin, "/ready");
                    get(admin, "/health");
                  }
                  if (n % 50 == 0) {
                    get(admin, "/status");
                    get(admin, "/metrics");
                    post("/v1/chat/completions", "{not json"); // passes through as a 400
                    post("/v1/files", "{}"); // a stateful route: primary only
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(REQUEST_TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Each fault of the primary makes the sidecar fail over to the fallback or end a stream. */
  private void failures() throws Exception {
    String[] faults = {
      "{\"status\":503,\"times\":3}",
      "{\"status\":429,\"retryAfter\":\"1\",\"times\":2}",
      "{\"errorInStream\":true,\"times\":2}",
      "{\"resetBeforeHeaders\":true,\"times\":2}",
    };
    for (String fault : faults) {
      send(HttpRequest.newBuilder(primary.resolve("/_sim/fault")).POST(body(fault)), "fault");
      post("/v1/chat/completions", CHAT);
      post("/v1/chat/completions", CHAT_STREAM);
      post("/v1/chat/completions", CHAT);
    }
    send(
        HttpRequest.newBuilder(primary.resolve("/_sim/fault"))
            .POST(body("{\"resetAfterEvents\":1,\"times\":2}")),
        "fault");
    post("/v1/chat/completions", CHAT_STREAM);
    post("/v1/chat/completions", CHAT_STREAM_USAGE);
    send(HttpRequest.newBuilder(primary.resolve("/_sim/fault")).DELETE(), "fault");
  }

  private void post(String path, String json) {
    send(
        HttpRequest.newBuilder(proxy.resolve(path))
            .header("content-type", "application/json")
            .header("authorization", "Bearer sk-app-placeholder")
            .POST(body(json)),
        "proxy");
  }

  private void get(URI base, String path) {
    send(HttpRequest.newBuilder(base.resolve(path)).GET(), base == admin ? "admin" : "proxy");
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return HttpRequest.BodyPublishers.ofString(json);
  }

  private void send(HttpRequest.Builder request, String target) {
    String outcome;
    try {
      HttpResponse<byte[]> response =
          client.send(
              request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
      outcome = target + " " + (response.statusCode() / 100) + "xx";
    } catch (IOException e) {
      outcome = target + " io-error";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = target + " interrupted";
    }
    synchronized (outcomes) {
      outcomes.merge(outcome, 1, Integer::sum);
    }
  }
}
