package ai.holysheep.k8s.e2e.proxy;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import ai.holysheep.k8s.sidecar.ListenAddress;
import ai.holysheep.k8s.sidecar.Sidecar;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import ai.holysheep.k8s.sidecar.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real sidecar in-process on an ephemeral loopback port in front of simulators, plus an app-side
 * HTTP client. Short timeouts keep every failure path fast.
 */
final class ProxyTestBed implements AutoCloseable {
  static final long AWAIT_SECONDS = 10;
  static final String PRIMARY_KEY = "sk-primary-6f1c2e9a-test-key";
  static final String SECONDARY_KEY = "sk-secondary-0b7d4c11-test-key";
  static final String THIRD_KEY = "sk-third-93ad02f7-test-key";
  static final String CHAT = "/v1/chat/completions";
  static final Map<String, String> JSON_HEADERS =
      Map.of("Content-Type", "application/json", "Authorization", "Bearer sk-placeholder");

  final Vertx vertx = Vertx.vertx();
  final List<Simulator> sims = new ArrayList<>();
  final TestClock clock = new TestClock();
  final HttpClientAgent app = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));

  /** Probes and scrapes use fresh connections, like the kubelet does. */
  final HttpClientAgent adminClient =
      vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));

  Path secretsDir;
  Sidecar sidecar;

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof java.util.concurrent.TimeoutException) {
        Thread.getAllStackTraces()
            .forEach(
                (thread, stack) -> {
                  System.err.println("THREAD " + thread.getName());
                  for (StackTraceElement frame : stack) {
                    System.err.println("    at " + frame);
                  }
                });
      }
      throw new AssertionError("did not complete in " + AWAIT_SECONDS + "s: " + e, e);
    }
  }

  /** Polls from the test thread, pausing on a Vert.x timer, until the condition holds. */
  void eventually(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT_SECONDS * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + AWAIT_SECONDS + " s: " + what);
      }
      io.vertx.core.Promise<Void> tick = io.vertx.core.Promise.promise();
      vertx.setTimer(20, id -> tick.complete());
      await(tick.future());
    }
  }

  Simulator sim(String name) {
    Simulator sim = await(Simulator.start(vertx, SimulatorOptions.named(name)));
    sims.add(sim);
    return sim;
  }

  Simulator sim(SimulatorOptions options) {
    Simulator sim = await(Simulator.start(vertx, options));
    sims.add(sim);
    return sim;
  }

  /** A config for the given base URLs (primary first) with short timeouts and no health checks. */
  static JsonObject config(String... baseUrls) {
    JsonObject config =
        new JsonObject()
            .put("baseUrl", baseUrls[0])
            .put("connectTimeout", "1s")
            .put("timeout", "300ms")
            .put("responseTimeout", "5s")
            .put("streamIdleTimeout", "300ms")
            .put("maxRetries", 3)
            .put(
                "circuitBreaker",
                new JsonObject()
                    .put("enabled", true)
                    .put("failureThreshold", 3)
                    .put("resetTimeout", "60s"))
            .put("healthCheck", new JsonObject().put("enabled", false));
    JsonArray fallbacks = new JsonArray();
    for (int i = 1; i < baseUrls.length; i++) {
      fallbacks.add(
          new JsonObject()
              .put("name", i == 1 ? "secondary" : "third")
              .put("baseUrl", baseUrls[i])
              .put(
                  "apiKeySecretRef",
                  new JsonObject().put("name", "fallback-" + i).put("key", "api-key")));
    }
    return config.put("fallbacks", fallbacks);
  }

  static Map<String, String> keysEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("HOLYSHEEP_API_KEY", PRIMARY_KEY);
    env.put("HOLYSHEEP_API_KEY_1", SECONDARY_KEY);
    env.put("HOLYSHEEP_API_KEY_2", THIRD_KEY);
    env.put("HOLYSHEEP_POD_NAMESPACE", "test");
    return env;
  }

  Sidecar start(JsonObject config) {
    return start(config, keysEnv());
  }

  /** Replaces the running sidecar with one for {@code config}. */
  Sidecar restart(JsonObject config) {
    if (sidecar != null) {
      await(sidecar.close());
      sidecar = null;
    }
    return start(config);
  }

  Sidecar start(JsonObject config, Map<String, String> env) {
    return start(config, env, UnaryOperator.identity());
  }

  /** Starts a sidecar whose options the test adjusts beyond the config (pool sizes, …). */
  Sidecar start(JsonObject config, Map<String, String> env, UnaryOperator<SidecarOptions> adjust) {
    try {
      if (secretsDir == null) {
        secretsDir = Files.createTempDirectory("holysheep-secrets");
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    HolySheepConfig parsed = ConfigParser.parse(config.encode());
    SidecarOptions options =
        SidecarOptions.of(parsed)
            .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
            .withAdminListen(new ListenAddress("127.0.0.1", 0))
            .withEnv(env)
            .withSecretsDir(secretsDir)
            .withClock(clock);
    sidecar = await(Sidecar.start(vertx, adjust.apply(options)));
    return sidecar;
  }

  Answer send(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return await(sendAsync(method, path, headers, body));
  }

  /** Sends without waiting: the future completes with the whole answer. */
  Future<Answer> sendAsync(
      HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    return sendTo(sidecar.proxyPort(), method, path, headers, body);
  }

  /** Sends straight to a simulator, as an app without the sidecar would. */
  Answer direct(Simulator sim, String path, Map<String, String> headers, Buffer body) {
    return await(sendTo(sim.port(), HttpMethod.POST, path, headers, body));
  }

  /**
   * The whole answer of a sent request. The body is asked for in the callback of {@code send()}
   * itself, on the connection's event loop as the headers arrive: chained on an outer future, the
   * callback may run after the body already went by, and that body future never completes (Vert.x
   * issue 5904; it made requests of this test bed, d6e097f's included, hang for 10 s under load).
   */
  static Future<Answer> answerOf(Future<HttpClientResponse> sent) {
    return sent.compose(
        response ->
            response.body().map(b -> new Answer(response.statusCode(), response.headers(), b)));
  }

  private Future<Answer> sendTo(
      int port, HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    headers.forEach(options::putHeader);
    return app.request(options)
        .compose(request -> answerOf(body == null ? request.send() : request.send(body)));
  }

  /** Options of a POST to the sidecar, for tests that read the answer chunk by chunk. */
  RequestOptions proxyPost(String path) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(sidecar.proxyPort())
        .setURI(path)
        .putHeader("content-type", "application/json");
  }

  /** A JSON chat sent without waiting. */
  Future<Answer> chatAsync() {
    return sendAsync(HttpMethod.POST, CHAT, JSON_HEADERS, Buffer.buffer(chatBody(false).encode()));
  }

  /** A POST of {@code json} to {@code path}. */
  Answer post(String path, JsonObject json) {
    return send(HttpMethod.POST, path, JSON_HEADERS, Buffer.buffer(json.encode()));
  }

  /** The value of one sample of the sidecar's metrics, or 0 when absent. */
  double metric(String sample) {
    for (String line : admin("/metrics").text().split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return 0;
  }

  Answer chat() {
    return chat(false);
  }

  Answer chat(boolean stream) {
    return send(
        HttpMethod.POST,
        CHAT,
        Map.of("Content-Type", "application/json", "Authorization", "Bearer sk-placeholder"),
        Buffer.buffer(chatBody(stream).encode()));
  }

  static JsonObject chatBody(boolean stream) {
    JsonObject body =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "say hello")));
    if (stream) {
      body.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }

  Answer admin(String path) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(sidecar.adminPort())
            .setURI(path);
    return await(adminClient.request(options).compose(request -> answerOf(request.send())));
  }

  JsonObject upstreamStatus(String name) {
    JsonArray upstreams = admin("/status").json().getJsonArray("upstreams");
    for (int i = 0; i < upstreams.size(); i++) {
      if (upstreams.getJsonObject(i).getString("name").equals(name)) {
        return upstreams.getJsonObject(i);
      }
    }
    throw new AssertionError("no upstream " + name + " in /status");
  }

  /** A port on 127.0.0.1 where nothing listens. */
  static int closedPort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (sidecar != null) {
      await(sidecar.close());
    }
    for (Simulator sim : sims) {
      await(sim.close());
    }
    await(vertx.close());
  }
}
