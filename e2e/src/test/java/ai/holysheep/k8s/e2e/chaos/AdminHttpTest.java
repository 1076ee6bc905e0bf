package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminHttpTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sendsThePathWithItsQuery() throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(request -> request.response().end(request.uri()))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    AdminHttp http = new AdminHttp(vertx);
    AdminHttp.Reply reply =
        http.await(
            HttpMethod.GET,
            "http://127.0.0.1:" + server.actualPort(),
            "/_sim/requests?since=42",
            null);
    assertEquals("/_sim/requests?since=42", reply.body());
  }
}
