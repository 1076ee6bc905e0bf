package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.cache.SidecarProcess;
import ai.holysheep.k8s.sidecar.overload.OverloadOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The soak's pile-up in a few seconds: the real sidecar jar with the pod's heap, a stalled
 * upstream, and thousands of app connections each sending a chat. The sidecar holds what its bounds
 * admit, sheds the rest at once, and its peak resident set stays under the pod's 256 Mi limit.
 * Prints the resident memory an idle connection and a waiting request cost (the figures the
 * defaults of {@code OverloadOptions} were chosen from).
 */
class OverloadProcessIT {
  /** Connections opened first, idle, to measure what one costs. */
  static final int IDLE = 1500;

  /** Of those, how many then send a chat that waits on the stalled upstream. */
  static final int WAITING = 1000;

  /** Connections opened afterwards, each sending a chat at once: the pile-up. */
  static final int PILE_UP = 8000;

  static final long MIB = 1024 * 1024;

  /** A chat's prompt (bytes): a few pages of context, as real apps send. */
  static final int PROMPT_BYTES = 16 * 1024;

  static final byte[] CHAT_BODY =
      new JsonObject()
          .put("model", "gpt-4o-mini")
          .put(
              "messages",
              new io.vertx.core.json.JsonArray()
                  .add(
                      new JsonObject()
                          .put("role", "user")
                          .put("content", "x".repeat(PROMPT_BYTES))))
          .encode()
          .getBytes(StandardCharsets.UTF_8);

  /** Bound on each wait for the sidecar to take in what was sent (seconds on a busy machine). */
  static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(60);

  private Vertx vertx;
  private StalledUpstream upstream;
  private SidecarProcess sidecar;
  private final List<Socket> sockets = new ArrayList<>();
  private final HttpClient admin = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    upstream = StalledUpstream.start(vertx);
    JsonObject config =
        new JsonObject()
            .put("baseUrl", upstream.baseUrl())
            .put("healthCheck", new JsonObject().put("enabled", false));
    sidecar =
        SidecarProcess.start(
            Map.of("HOLYSHEEP_CONFIG", config.encode(), "HOLYSHEEP_API_KEY", "sk-pile-up-test"),
            LargeAnswersProcessIT.POD_JVM_FLAGS);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (sidecar != null) {
      sidecar.close();
    }
    ProxyTestBed.await(vertx.close());
  }

  @Test
  void aPileUpOfAppConnectionsIsShedWithinThePodsMemory() throws Exception {
    long atRest = resident("VmRSS");
    for (int i = 0; i < IDLE; i++) {
      open();
    }
    eventually("idle connections counted", m -> m.get("holysheep_app_connections") == IDLE);
    long idle = resident("VmRSS");
    for (int i = 0; i < WAITING; i++) {
      sendChat(sockets.get(i));
    }
    eventually(
        "requests waiting",
        m -> m.get("holysheep_in_flight_requests") + m.sum("holysheep_requests_total") == WAITING);
    long waiting = resident("VmRSS");
    for (int i = 0; i < PILE_UP; i++) {
      sendChat(open());
    }
    eventually(
        "every request held or answered",
        m ->
            m.get("holysheep_in_flight_requests")
                    + m.sum("holysheep_requests_total")
                    + m.sum("holysheep_shed_total")
                == WAITING + PILE_UP);
    Metrics last = metrics();
    long peak = resident("VmHWM");
    System.out.printf(
        "OverloadProcessIT: at rest %d MiB; %d idle connections +%d MiB (%d KiB each); %d waiting"
            + " requests +%d MiB (%d KiB each); peak %d MiB with %.0f in flight, %.0f connections,"
            + " %.0f shed (in flight), %.0f shed (connections), %.0f answered by the sidecar%n",
        atRest / MIB,
        IDLE,
        (idle - atRest) / MIB,
        (idle - atRest) / IDLE / 1024,
        WAITING,
        (waiting - idle) / MIB,
        (waiting - idle) / WAITING / 1024,
        peak / MIB,
        last.get("holysheep_in_flight_requests"),
        last.get("holysheep_app_connections"),
        last.get("holysheep_shed_total{limit=\"in_flight\"}"),
        last.get("holysheep_shed_total{limit=\"connections\"}"),
        last.sum("holysheep_requests_total"));
    assertTrue(last.sum("holysheep_shed_total") > 0, "the pile-up went past a bound");
    assertTrue(
        last.get("holysheep_in_flight_requests") <= OverloadOptions.DEFAULT_MAX_IN_FLIGHT,
        "in flight within the default bound");
    assertTrue(
        last.get("holysheep_app_connections") <= OverloadOptions.DEFAULT_MAX_CONNECTIONS,
        "connections within the default bound");
    assertTrue(peak < LargeAnswersProcessIT.POD_LIMIT_BYTES, "peak RSS " + peak / MIB + " MiB");
    assertTrue(!sidecar.output().contains("OutOfMemoryError"), sidecar.output());
  }

  /** A new app connection (kept, closed at the end). */
  private Socket open() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), sidecar.proxyPort());
    sockets.add(socket);
    return socket;
  }

  private static void sendChat(Socket socket) {
    byte[] body = CHAT_BODY;
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    try {
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
    } catch (IOException e) {
      // an excess connection the sidecar closed before the request was written: shed all the same
    }
  }

  private long resident(String field) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(sidecar.pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new AssertionError("no " + field + " in /proc/" + sidecar.pid() + "/status");
  }

  /** Polls the admin port's metrics until the condition holds, at most {@link #SETTLE}. */
  private void eventually(String what, java.util.function.Predicate<Metrics> condition)
      throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Metrics last;
    while (!condition.test(last = metrics())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + SETTLE + ": " + what + "\n" + last.text());
      }
      ProxyTestBed.await(vertx.timer(50, java.util.concurrent.TimeUnit.MILLISECONDS));
    }
  }

  private Metrics metrics() throws Exception {
    HttpResponse<String> response;
    try {
      response =
          admin.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + sidecar.adminPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(
          "the admin port did not answer; sidecar output:\n" + sidecar.output(), e);
    }
    return new Metrics(response.body());
  }

  /** One scrape of the Prometheus text. */
  record Metrics(String text) {
    double get(String sample) {
      for (String line : text.split("\n")) {
        if (line.startsWith(sample + " ")) {
          return Double.parseDouble(line.substring(sample.length() + 1).trim());
        }
      }
      return 0;
    }

    double sum(String name) {
      double total = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return total;
    }
  }
}
