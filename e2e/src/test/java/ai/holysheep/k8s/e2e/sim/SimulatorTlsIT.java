package ai.holysheep.k8s.e2e.sim;

import static ai.holysheep.k8s.e2e.sim.SimHttp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a given PEM certificate, over HTTP/1.1 and HTTP/2 (ALPN). */
class SimulatorTlsIT {
  @TempDir static Path dir;
  private static Vertx vertx;
  private static TestTls tls;
  private static Simulator sim;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    tls = TestTls.create(dir);
    sim =
        await(
            Simulator.start(
                vertx, SimulatorOptions.named("secure").withTls(tls.certFile(), tls.keyFile())));
  }

  @AfterAll
  static void stop() throws Exception {
    await(sim.close());
    await(vertx.close());
  }

  private static HttpClient client(HttpClient.Version version) throws Exception {
    return HttpClient.newBuilder().sslContext(tls.clientContext()).version(version).build();
  }

  @Test
  void servesHttpsWithTheGivenCertificate() throws Exception {
    assertTrue(sim.baseUrl().startsWith("https://127.0.0.1:"), sim.baseUrl());
    HttpResponse<String> response =
        client(HttpClient.Version.HTTP_1_1)
            .send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models"))
                    .timeout(SimHttp.REQUEST_TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("secure", response.headers().firstValue("x-sim-name").orElseThrow());
  }

  @Test
  void negotiatesHttp2AndResetsOnlyTheStreamOnAFault() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);
    HttpResponse<String> plain =
        client.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models"))
                .timeout(SimHttp.REQUEST_TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, plain.version());

    sim.setFault(Fault.ofResetAfterEvents(1).withTimes(1));
    HttpResponse<Stream<String>> cut =
        client.send(
            SimHttp.request(sim.baseUrl() + "/chat/completions", "{\"stream\":true}"),
            HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, cut.statusCode());
    try (Stream<String> lines = cut.body()) {
      assertThrows(UncheckedIOException.class, () -> lines.forEach(line -> {}));
    }
    HttpResponse<String> after =
        client.send(
            SimHttp.request(sim.baseUrl() + "/chat/completions", "{}"),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, after.statusCode());
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                untrusting.send(
                    HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models"))
                        .timeout(SimHttp.REQUEST_TIMEOUT)
                        .build(),
                    HttpResponse.BodyHandlers.ofString()));
    assertTrue(e instanceof SSLHandshakeException, e.toString());
  }
}
