package ai.holysheep.k8s.e2e.sim;

import static ai.holysheep.k8s.e2e.sim.SimHttp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each fault, set through the Java API, observed by a real client over loopback. */
class SimulatorFaultIT extends OneSimulatorIT {
  /** How long a client waits to prove that nothing arrives (a hang or a stall). */
  private static final Duration SILENCE = Duration.ofMillis(300);

  private static final String STREAM = "{\"stream\":true}";

  @Override
  SimulatorOptions options() {
    return SimulatorOptions.named("faulty").withStreamEvents(3);
  }

  private String chatUrl() {
    return sim.baseUrl() + "/chat/completions";
  }

  @Test
  void statusFaultAnswersAnOpenAiErrorWithRetryAfterForTheGivenTimes() throws Exception {
    sim.setFault(Fault.ofStatus(429, "7").withTimes(2));
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> limited = SimHttp.post(chatUrl(), "{}");
      assertEquals(429, limited.statusCode());
      assertEquals("7", limited.headers().firstValue("retry-after").orElseThrow());
      assertEquals(
          "rate_limit_error",
          new JsonObject(limited.body()).getJsonObject("error").getString("type"));
    }
    assertNull(sim.fault(), "a fault with times=2 is spent after two requests");
    assertEquals(200, SimHttp.post(chatUrl(), "{}").statusCode());
  }

  @Test
  void faultRemainsUntilClearedWhenTimesIsUnlimited() throws Exception {
    sim.setFault(Fault.ofStatus(503));
    assertEquals(503, SimHttp.post(chatUrl(), "{}").statusCode());
    assertEquals(503, SimHttp.post(chatUrl(), "{}").statusCode());
    sim.clearFault();
    assertEquals(200, SimHttp.post(chatUrl(), "{}").statusCode());
  }

  @Test
  void pathFilterLeavesOtherPathsAlone() throws Exception {
    sim.setFault(Fault.ofStatus(500).withPath("/v1/embeddings"));
    assertEquals(200, SimHttp.post(chatUrl(), "{}").statusCode());
    assertEquals(500, SimHttp.post(sim.baseUrl() + "/embeddings", "{}").statusCode());
  }

  @Test
  void headerDelayHoldsTheResponseHeaders() throws Exception {
    Duration delay = Duration.ofMillis(300);
    sim.setFault(Fault.ofHeaderDelay(delay));
    long start = System.nanoTime();
    HttpResponse<String> response = SimHttp.post(chatUrl(), "{}");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode());
    assertTrue(elapsedMs >= delay.toMillis() - 20, "answered after " + elapsedMs + " ms");
  }

  @Test
  void headerDelayThenStatusCombine() throws Exception {
    sim.setFault(Fault.builder().headerDelay(Duration.ofMillis(200)).status(502).build());
    long start = System.nanoTime();
    assertEquals(502, SimHttp.post(chatUrl(), "{}").statusCode());
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 180);
  }

  @Test
  void eventDelayFaultSlowsEveryStreamEvent() throws Exception {
    Duration delay = Duration.ofMillis(150);
    sim.setFault(Fault.ofEventDelay(delay));
    long start = System.nanoTime();
    List<Long> arrivals = new ArrayList<>();
    try (Stream<String> lines = SimHttp.postLines(chatUrl(), STREAM).body()) {
      lines
          .filter(l -> l.startsWith("data: "))
          .forEach(l -> arrivals.add((System.nanoTime() - start) / 1_000_000));
    }
    assertEquals(5, arrivals.size());
    assertTrue(arrivals.get(0) >= delay.toMillis() - 20, "the first event waits too: " + arrivals);
    assertTrue(arrivals.get(3) - arrivals.get(2) >= delay.toMillis() - 20, arrivals.toString());
  }

  @Test
  void errorInStreamSendsAnErrorObjectAsTheFirstEventAndNoDone() throws Exception {
    sim.setFault(Fault.ofErrorInStream());
    HttpResponse<Stream<String>> response = SimHttp.postLines(chatUrl(), STREAM);
    assertEquals(200, response.statusCode());
    List<String> data;
    try (Stream<String> lines = response.body()) {
      data = lines.filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }
    assertEquals(1, data.size(), data.toString());
    assertTrue(new JsonObject(data.get(0)).containsKey("error"));
  }

  @Test
  void resetBeforeHeadersClosesTheConnectionWithoutAnAnswer() throws Exception {
    sim.setFault(Fault.ofResetBeforeHeaders());
    assertThrows(IOException.class, () -> SimHttp.post(chatUrl(), "{}"));
    assertEquals(1, sim.requestCount(), "the request was read before the reset");
    assertEquals(0, sim.cancelledRequests(), "a reset by the simulator is not a cancellation");
  }

  @Test
  void resetAfterEventsCutsTheStreamAfterExactlyThatManyEvents() throws Exception {
    sim.setFault(Fault.ofResetAfterEvents(1));
    HttpResponse<Stream<String>> response = SimHttp.postLines(chatUrl(), STREAM);
    assertEquals(200, response.statusCode());
    List<String> received = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      assertThrows(
          UncheckedIOException.class,
          () -> {
            while (it.hasNext()) {
              String line = it.next();
              if (line.startsWith("data: ")) {
                received.add(line);
              }
            }
          });
    }
    assertEquals(1, received.size(), received.toString());
    assertTrue(received.get(0).contains("Simulated answer from faulty."));
  }

  @Test
  void stallAfterEventsKeepsTheStreamOpenWithoutFurtherEvents() throws Exception {
    sim.setFault(Fault.ofStallAfterEvents(1));
    try (Socket socket = SimHttp.rawPost(sim.port(), "/v1/chat/completions", STREAM, SILENCE)) {
      BufferedReader reader = SimHttp.reader(socket);
      assertTrue(reader.readLine().startsWith("HTTP/1.1 200"));
      int events = 0;
      String line;
      try {
        while ((line = reader.readLine()) != null) {
          if (line.contains("data: ")) {
            events++;
          }
        }
        throw new AssertionError("the stream ended instead of stalling");
      } catch (SocketTimeoutException expected) {
        assertEquals(1, events);
      }
    }
    await(sim.awaitCancelled(1));
    assertEquals(1, sim.cancelledRequests(), "closing a stalled stream is a cancellation");
  }

  @Test
  void hangAcceptsTheRequestAndNeverAnswersAndCountsTheClientGivingUp() throws Exception {
    try (Socket completed = SimHttp.rawPost(sim.port(), "/v1/chat/completions", "{}", SILENCE)) {
      assertTrue(SimHttp.reader(completed).readLine().startsWith("HTTP/1.1 200"));
    }
    sim.setFault(Fault.ofHang());
    try (Socket socket = SimHttp.rawPost(sim.port(), "/v1/chat/completions", "{}", SILENCE)) {
      await(sim.awaitRequests(2));
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
    }
    await(sim.awaitCancelled(1));
    assertEquals(1, sim.cancelledRequests(), "only the hung request was cancelled");
  }

  @Test
  void resetAfterEventsOnAJsonAnswerCutsTheBody() throws Exception {
    sim.setFault(Fault.ofResetAfterEvents(0));
    assertThrows(IOException.class, () -> SimHttp.post(chatUrl(), "{}"));
  }
}
