package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingIT extends TwoUpstreams {
  private static final String ERROR_EVENT_PREFIX = "data: {\"error\":{\"message\":\"";

  @BeforeEach
  void startSidecar() {
    bed.start(config());
  }

  private static List<String> events(String body) {
    List<String> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (!event.isBlank()) {
        events.add(event);
      }
    }
    return events;
  }

  @Test
  void aNormalStreamIsRelayedWithDone() {
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    assertTrue(answer.header("content-type").startsWith("text/event-stream"));
    assertEquals("primary", answer.upstream());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
    assertEquals("identity", primary.received().get(0).header("accept-encoding"));
  }

  @Test
  void anErrorObjectInsideA200StreamFailsOverInvisibly() {
    primary.setFault(Fault.ofErrorInStream());
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertFalse(answer.text().contains("\"error\""), answer.text());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void aStreamResetBeforeItsFirstEventFailsOverInvisibly() {
    primary.setFault(Fault.ofResetAfterEvents(0));
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void aStreamWithNoEventWithinTimeoutFailsOver() {
    primary.setFault(Fault.ofEventDelay(Duration.ofSeconds(3)));
    long started = System.nanoTime();
    Answer answer = bed.chat(true);
    assertEquals("secondary", answer.upstream());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos());
    await(primary.awaitCancelled(1));
  }

  @Test
  void aStreamFailingAfterItsFirstEventEndsWithTheErrorEventAndNoDone() {
    primary.setFault(Fault.ofResetAfterEvents(2));
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    List<String> events = events(answer.text());
    String last = events.get(events.size() - 1);
    assertTrue(last.startsWith(ERROR_EVENT_PREFIX), last);
    JsonObject error = new JsonObject(last.substring("data: ".length()));
    assertEquals("upstream_error", error.getJsonObject("error").getString("type"));
    assertFalse(answer.text().contains("[DONE]"));
    assertFalse(answer.text().contains("event:"));
    assertTrue(answer.text().endsWith("}}\n\n"));
    assertEquals(0, secondary.received().size(), "a committed stream is never replayed");
  }

  @Test
  void aStreamStallingPastStreamIdleTimeoutEndsWithTheErrorEvent() {
    primary.setFault(Fault.ofStallAfterEvents(2));
    Answer answer = bed.chat(true);
    List<String> events = events(answer.text());
    String last = events.get(events.size() - 1);
    assertTrue(last.startsWith(ERROR_EVENT_PREFIX), last);
    assertEquals(
        "upstream_stream_idle_timeout",
        new JsonObject(last.substring(6)).getJsonObject("error").getString("code"));
    assertFalse(answer.text().contains("[DONE]"));
  }

  @Test
  void eventsReachTheAppOneByOneAsProduced() {
    Simulator slow =
        bed.sim(
            SimulatorOptions.named("slow")
                .withStreamEvents(5)
                .withEventDelay(Duration.ofMillis(120)));
    bed.restart(
        ProxyTestBed.config(slow.baseUrl()).put("timeout", "2s").put("streamIdleTimeout", "2s"));
    List<Long> arrivals = new ArrayList<>();
    List<String> chunks = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    RequestOptions options = bed.proxyPost(ProxyTestBed.CHAT);
    bed.app
        .request(options)
        .compose(request -> request.send(Buffer.buffer(ProxyTestBed.chatBody(true).encode())))
        .onSuccess(
            response -> {
              response.handler(
                  chunk -> {
                    arrivals.add(System.nanoTime());
                    chunks.add(chunk.toString());
                  });
              response.endHandler(v -> ended.complete());
            })
        .onFailure(ended::fail);
    await(ended.future());
    assertTrue(chunks.size() >= 5, "events arrive as separate chunks: " + chunks.size());
    long spreadMillis = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
    assertTrue(
        spreadMillis >= 400, "first event delivered before the last was produced: " + spreadMillis);
    assertTrue(String.join("", chunks).endsWith("data: [DONE]\n\n"));
  }

  @Test
  void anAppLeavingACommittedStreamCancelsTheUpstream() {
    Simulator slow =
        bed.sim(
            SimulatorOptions.named("slow")
                .withStreamEvents(50)
                .withEventDelay(Duration.ofMillis(100)));
    bed.restart(
        ProxyTestBed.config(slow.baseUrl()).put("timeout", "2s").put("streamIdleTimeout", "2s"));
    Promise<Void> firstEvent = Promise.promise();
    RequestOptions options = bed.proxyPost(ProxyTestBed.CHAT);
    Promise<io.vertx.core.http.HttpConnection> connection = Promise.promise();
    bed.app
        .request(options)
        .onSuccess(
            request -> {
              connection.complete(request.connection());
              request
                  .send(Buffer.buffer(ProxyTestBed.chatBody(true).encode()))
                  .onSuccess(response -> response.handler(chunk -> firstEvent.tryComplete()));
            });
    await(firstEvent.future());
    await(await(connection.future()).close());
    await(slow.awaitCancelled(1));
    assertEquals(1, slow.requestCount(), "never retried");
  }
}
