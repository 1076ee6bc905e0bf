package ai.holysheep.k8s.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaitCommandTest {
  private final Vertx vertx = Vertx.vertx();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private int run(String... args) {
    return WaitCommand.run(args, Map.of(), new PrintStream(out), new PrintStream(err));
  }

  /** The admin URL of a loopback server answering with {@code handler}. */
  private String serve(Handler<HttpServerRequest> handler) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(handler)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Test
  void exitsZeroOnceReadyAnswers200() throws Exception {
    String url =
        serve(r -> r.response().setStatusCode(r.path().equals("/ready") ? 200 : 404).end());
    int code = run("wait", "--timeout", "5s", "--admin-url", url);
    assertEquals(0, code, err.toString());
  }

  @Test
  void keepsPollingWhileReadyAnswers503AndExitsZeroAtThe200() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    String url =
        serve(
            r ->
                r.response()
                    .setStatusCode(polls.incrementAndGet() < 3 ? 503 : 200)
                    .setStatusMessage(polls.get() < 3 ? "Service Unavailable" : "OK")
                    .end("2000 not the status"));
    int code = run("wait", "--timeout", "10s", "--admin-url", url);
    assertEquals(0, code, err.toString());
    assertEquals(3, polls.get());
  }

  @Test
  void anAdminUrlThatIsNotPlainHttpIsABadFlag() {
    assertEquals(2, run("wait", "--admin-url", "https://127.0.0.1:15081"));
    assertTrue(err.toString().contains("--admin-url https://127.0.0.1:15081"), err.toString());
  }

  @Test
  void exitsOneOnTimeout() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int code = run("wait", "--timeout", "300ms", "--admin-url", "http://127.0.0.1:" + port);
    assertEquals(1, code);
    assertTrue(err.toString().contains("did not answer 200"), err.toString());
  }

  @Test
  void exitsTwoOnABadFlag() {
    assertEquals(2, run("wait", "--timeout", "soon"));
    assertTrue(err.toString().contains("--timeout"), err.toString());
  }
}
