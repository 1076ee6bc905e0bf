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
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Big events, missing [DONE], slow readers and half-open trials on streams. */
class StreamLifecycleIT extends TwoUpstreams {
  private static String lastEvent(String body) {
    String[] events = body.split("\n\n");
    return events[events.length - 1];
  }

  private RequestOptions chatRequest() {
    return bed.proxyPost(ProxyTestBed.CHAT);
  }

  @Test
  void aTwelveMebibyteEventIsRelayedWhole() {
    Simulator one = bed.sim(SimulatorOptions.named("one-event").withStreamEvents(1));
    bed.start(
        ProxyTestBed.config(one.baseUrl()).put("timeout", "5s").put("streamIdleTimeout", "5s"));
    one.setFault(Fault.builder().eventSize(12L * 1024 * 1024).build());
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
    assertTrue(answer.body().length() > 12 * 1024 * 1024, "" + answer.body().length());
  }

  @Test
  void anEventOverMaxEventSizeFailsOverBeforeItsStreamCommits() {
    bed.start(config().put("maxEventSize", "1Mi"));
    primary.setFault(Fault.builder().eventSize(2L * 1024 * 1024).build());
    Answer answer = bed.chat(true);
    assertEquals("secondary", answer.upstream());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void aChatStreamEndingWithoutDoneEndsWithTheErrorEvent() {
    bed.start(config());
    primary.setFault(Fault.builder().noDone(true).build());
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    String last = lastEvent(answer.text());
    assertTrue(last.startsWith("data: {\"error\":"), last);
    assertEquals(
        "upstream_stream_incomplete",
        new JsonObject(last.substring(6)).getJsonObject("error").getString("code"));
    assertFalse(answer.text().contains("[DONE]"));
    assertEquals(0, secondary.requestCount(), "a committed stream is never replayed");
  }

  @Test
  void anAppThatReadsSlowlyDoesNotTripTheIdleLimitOfAHealthyStream() {
    // 200 events of 128 KiB (25 MiB): more than socket buffers and write queues hold, so the
    // sidecar must stop reading the upstream while the app does not read.
    Simulator many = bed.sim(SimulatorOptions.named("many-events").withStreamEvents(200));
    many.setFault(Fault.builder().eventSize(128L * 1024).build());
    bed.start(
        ProxyTestBed.config(many.baseUrl()).put("timeout", "5s").put("streamIdleTimeout", "300ms"));
    Promise<Buffer> body = Promise.promise();
    bed.app
        .request(chatRequest())
        .compose(request -> request.send(Buffer.buffer(ProxyTestBed.chatBody(true).encode())))
        .onSuccess(
            (HttpClientResponse response) -> {
              response.pause();
              Buffer all = Buffer.buffer();
              response.handler(all::appendBuffer);
              response.endHandler(v -> body.complete(all));
              response.exceptionHandler(body::tryFail);
              bed.vertx.setTimer(1000, id -> response.resume());
            })
        .onFailure(body::tryFail);
    String text = await(body.future()).toString();
    assertTrue(text.endsWith("data: [DONE]\n\n"), lastEvent(text));
    assertFalse(text.contains("upstream_stream_idle_timeout"));
  }

  @Test
  void aHalfOpenTrialIsSettledAtTheFirstEventNotAtTheEndOfTheStream() {
    bed.start(config().put("timeout", "2s"));
    primary.setFault(Fault.ofStatus(500));
    for (int i = 0; i < 3; i++) {
      bed.chat();
    }
    assertEquals("open", bed.upstreamStatus("primary").getString("breaker"));
    bed.clock.advance(Duration.ofSeconds(61));
    primary.setFault(Fault.ofEventDelay(Duration.ofMillis(300)));
    Promise<Void> firstEvent = Promise.promise();
    Promise<Void> ended = Promise.promise();
    bed.app
        .request(chatRequest())
        .compose(request -> request.send(Buffer.buffer(ProxyTestBed.chatBody(true).encode())))
        .onSuccess(
            response -> {
              response.handler(chunk -> firstEvent.tryComplete());
              response.endHandler(v -> ended.complete());
            });
    await(firstEvent.future());
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
    primary.clearFault();
    assertEquals("primary", bed.chat().upstream(), "no second trial slot needed");
    await(ended.future());
  }
}
