package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Load shedding at the sidecar's front door: beyond its in-flight bound a request is answered 503
 * {@code sidecar_overloaded} at once while the admitted ones wait on a stalled upstream, and beyond
 * its connection bound a connection is answered 503 and closed; nothing shed reaches an upstream or
 * its breaker, and the admin port keeps answering.
 */
class OverloadIT {
  static final int MAX_IN_FLIGHT = 4;
  static final int EXTRA = 3;
  static final int MAX_CONNECTIONS = 2;
  static final String SHED_IN_FLIGHT = "holysheep_shed_total{limit=\"in_flight\"}";
  static final String SHED_CONNECTIONS = "holysheep_shed_total{limit=\"connections\"}";

  private final ProxyTestBed bed = new ProxyTestBed();
  private final HttpClientAgent apps =
      bed.vertx.createHttpClient(
          new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT + EXTRA + 2));
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    bed.close();
  }

  @Test
  void requestsBeyondTheInFlightBoundAreShedAtOnceAndHeldOnesCompleteWhenTheUpstreamResumes() {
    StalledUpstream upstream = StalledUpstream.start(bed.vertx);
    Map<String, String> env = ProxyTestBed.keysEnv();
    env.put("HOLYSHEEP_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT));
    bed.start(ProxyTestBed.config(upstream.baseUrl()), env);

    List<Future<Answer>> held = new ArrayList<>();
    for (int i = 0; i < MAX_IN_FLIGHT; i++) {
      held.add(chat());
    }
    bed.eventually("the upstream holds " + MAX_IN_FLIGHT, () -> upstream.held() == MAX_IN_FLIGHT);

    for (int i = 0; i < EXTRA; i++) {
      Answer shed = await(chat());
      assertEquals(503, shed.status(), shed.text());
      assertEquals("sidecar_overloaded", shed.json().getJsonObject("error").getString("code"));
      assertEquals("1", shed.header("retry-after"));
      assertEquals("true", shed.header("x-should-retry"));
    }
    assertEquals(200, bed.admin("/health").status(), "/health is never shed");
    assertEquals(MAX_IN_FLIGHT, upstream.held(), "nothing shed reached the upstream");
    assertTrue(held.stream().noneMatch(Future::isComplete), "admitted requests still wait");
    assertEquals(EXTRA, bed.metric(SHED_IN_FLIGHT));
    assertEquals(MAX_IN_FLIGHT, bed.metric("holysheep_in_flight_requests"));

    upstream.resume();
    for (Future<Answer> answer : held) {
      assertEquals(200, await(answer).status());
    }
    assertEquals(0, bed.metric("holysheep_circuit_state{upstream=\"primary\"}"));
    bed.eventually("every slot released", () -> bed.metric("holysheep_in_flight_requests") == 0);
    assertEquals(200, await(chat()).status(), "admitted again once slots are free");
    assertEquals(EXTRA, bed.metric(SHED_IN_FLIGHT));
  }

  @Test
  void aConnectionBeyondTheBoundIsAnswered503AndClosedAndASilentOneIsClosedAfterItsGrace()
      throws Exception {
    StalledUpstream upstream = StalledUpstream.start(bed.vertx);
    bed.start(ProxyTestBed.config(upstream.baseUrl()), connectionsEnv());
    Socket first = open();
    Socket second = open();
    sendChat(first);
    sendChat(second);
    bed.eventually("two held requests", () -> upstream.held() == 2);
    assertEquals(2, bed.metric("holysheep_app_connections"));

    String refused = exchange(open(), false);
    assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
    assertTrue(refused.contains("sidecar_overloaded"), refused);
    assertTrue(refused.toLowerCase().contains("connection: close"), refused);
    assertTrue(refused.toLowerCase().contains("retry-after: 1"), refused);
    assertEquals(2, upstream.held(), "the shed request never reached the upstream");

    Socket silent = open();
    assertEquals(-1, silent.getInputStream().read(), "a silent excess connection is closed");
    assertEquals(2, bed.metric(SHED_CONNECTIONS));

    first.close();
    bed.eventually(
        "the app that left frees its connection and its slot",
        () ->
            bed.metric("holysheep_app_connections") == 1
                && bed.metric("holysheep_in_flight_requests") == 1);
    upstream.resume();
    String answered =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(second.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
    assertEquals("HTTP/1.1 200 OK", answered);
    String admitted = exchange(open(), true);
    assertTrue(admitted.startsWith("HTTP/1.1 200"), admitted);
    assertEquals(0, bed.metric(SHED_IN_FLIGHT));
    assertEquals(0, bed.metric("holysheep_circuit_state{upstream=\"primary\"}"));
  }

  private static void sendChat(Socket socket) throws IOException {
    byte[] body = ProxyTestBed.chatBody(false).encode().getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(body);
  }

  private Map<String, String> connectionsEnv() {
    Map<String, String> env = ProxyTestBed.keysEnv();
    env.put("HOLYSHEEP_MAX_APP_CONNECTIONS", Integer.toString(MAX_CONNECTIONS));
    return env;
  }

  private Future<Answer> chat() {
    RequestOptions options = bed.proxyPost(ProxyTestBed.CHAT);
    return apps.request(options)
        .compose(
            request ->
                ProxyTestBed.answerOf(
                    request.send(Buffer.buffer(ProxyTestBed.chatBody(false).encode()))));
  }

  private Socket open() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), bed.sidecar.proxyPort());
    socket.setSoTimeout((int) ProxyTestBed.AWAIT_SECONDS * 1000);
    sockets.add(socket);
    return socket;
  }

  /**
   * Sends {@code GET /v1/models} and reads until the connection closes: the sidecar's doing unless
   * {@code askClose} asks it to.
   */
  private static String exchange(Socket socket, boolean askClose) throws IOException {
    String head =
        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (askClose ? "Connection: close\r\n" : "")
            + "\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }
}
