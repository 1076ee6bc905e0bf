package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * X-Stainless-Timeout bounds only the wait for an answer's headers or a stream's first event, and
 * an app's own deadline is never the upstream's failure; keep-alives count as life.
 */
class DeadlinesIT {
  private ProxyTestBed bed;
  private Simulator primary;
  private Simulator secondary;

  @BeforeEach
  void setUp() {
    bed = new ProxyTestBed();
    primary =
        bed.sim(
            SimulatorOptions.named("primary-sim")
                .withStreamEvents(6)
                .withEventDelay(Duration.ofMillis(150)));
    secondary = bed.sim("secondary-sim");
  }

  @AfterEach
  void tearDown() {
    bed.close();
  }

  private Answer chatWithin(boolean stream, String seconds) {
    return bed.send(
        HttpMethod.POST,
        ProxyTestBed.CHAT,
        Map.of("Content-Type", "application/json", "X-Stainless-Timeout", seconds),
        Buffer.buffer(ProxyTestBed.chatBody(stream).encode()));
  }

  @Test
  void aHealthyStreamLongerThanTheAppsTimeoutIsNotCut() {
    bed.start(
        ProxyTestBed.config(primary.baseUrl(), secondary.baseUrl())
            .put("timeout", "2s")
            .put("streamIdleTimeout", "2s"));
    long started = System.nanoTime();
    Answer answer = chatWithin(true, "0.5");
    assertTrue(
        System.nanoTime() - started > Duration.ofMillis(900).toNanos(),
        "the stream lasts about 1 s (7 events, 150 ms apart)");
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream());
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"), answer.text());
    assertFalse(answer.text().contains("\"error\""));
  }

  @Test
  void theAppsOwnDeadlineIsNeverChargedToTheUpstream() {
    bed.start(
        ProxyTestBed.config(primary.baseUrl(), secondary.baseUrl())
            .put("timeout", "5s")
            .put("responseTimeout", "8s"));
    primary.setFault(Fault.ofHang());
    for (int i = 0; i < 3; i++) {
      Answer answer = chatWithin(false, "0.3");
      assertEquals(504, answer.status());
      assertEquals(
          "client_deadline_exceeded", answer.json().getJsonObject("error").getString("code"));
    }
    await(primary.awaitCancelled(3));
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
    assertEquals(
        0.0,
        bed.metric("holysheep_upstream_attempts_total{result=\"timeout\",upstream=\"primary\"}"));
    assertEquals(
        0.0,
        bed.metric(
            "holysheep_upstream_attempts_total{result=\"response_timeout\",upstream=\"primary\"}"));
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void keepAliveCommentsKeepAStreamWaitingForItsFirstToken() {
    bed.start(ProxyTestBed.config(primary.baseUrl(), secondary.baseUrl()));
    primary.setFault(
        Fault.builder()
            .commentEvery(Duration.ofMillis(100))
            .firstEventDelay(Duration.ofMillis(1200))
            .eventDelay(Duration.ZERO)
            .build());
    Answer answer = bed.chat(true);
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream());
    assertEquals(0, secondary.requestCount(), "not re-run elsewhere (billed twice)");
    assertTrue(answer.text().startsWith(": keep-alive\n\n"), "held comments are forwarded");
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void aStreamSilentForTimeoutBeforeItsFirstEventStillFailsOver() {
    bed.start(ProxyTestBed.config(primary.baseUrl(), secondary.baseUrl()));
    primary.setFault(Fault.builder().firstEventDelay(Duration.ofSeconds(3)).build());
    Answer answer = bed.chat(true);
    assertEquals("secondary", answer.upstream());
    await(primary.awaitCancelled(1));
  }
}
