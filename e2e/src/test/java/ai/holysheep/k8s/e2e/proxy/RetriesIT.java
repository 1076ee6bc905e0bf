package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.RecordedRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retry-After on 503, per-model rate limits, backoff, the retry budget, x-should-retry. */
class RetriesIT extends TwoUpstreams {
  private Answer chat(String model) {
    return bed.post(ProxyTestBed.CHAT, ProxyTestBed.chatBody(false).put("model", model));
  }

  @Test
  void a503WithRetryAfterIsRememberedLikeARateLimit() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(503, "30"));
    assertEquals("secondary", bed.chat().upstream());
    Answer second = bed.chat();
    assertEquals("secondary", second.upstream());
    assertEquals(1, second.attempts(), "the primary is skipped while its Retry-After runs");
    assertEquals(1, primary.requestCount());
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
  }

  @Test
  void aRateLimitThatNamesTheModelLimitsOnlyThatModel() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(429, "30").withTimes(1));
    assertEquals("secondary", chat("gpt-4o-mini").upstream());
    Answer other = chat("sim-model");
    assertEquals("primary", other.upstream(), "other models still go to the primary");
    assertEquals(1, other.attempts());
    Answer same = chat("gpt-4o-mini");
    assertEquals("secondary", same.upstream());
    assertEquals(1, same.attempts(), "the limited model skips the primary at once");
  }

  @Test
  void retriesOfOneUpstreamWaitAGrowingBackoff() {
    bed.start(ProxyTestBed.config(primary.baseUrl()));
    primary.setFault(Fault.ofStatus(502).withTimes(2));
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals(3, answer.attempts());
    List<RecordedRequest> seen = primary.received();
    long first = Duration.between(seen.get(0).receivedAt(), seen.get(1).receivedAt()).toMillis();
    long second = Duration.between(seen.get(1).receivedAt(), seen.get(2).receivedAt()).toMillis();
    assertTrue(first >= 50, "first backoff at least half of 100 ms: " + first);
    assertTrue(second >= 100, "second backoff at least half of 200 ms: " + second);
  }

  @Test
  void theRetryBudgetBoundsRetriesOfAFailingUpstream() {
    bed.start(
        ProxyTestBed.config(primary.baseUrl())
            .put("circuitBreaker", new JsonObject().put("enabled", false)));
    primary.setFault(Fault.ofStatus(500));
    int requests = 30;
    for (int i = 0; i < requests; i++) {
      Answer answer = bed.chat();
      assertEquals(502, answer.status());
      assertEquals("false", answer.header("x-should-retry"));
    }
    // Without a budget: 30 * (1 + maxRetries 3) = 120 attempts. With it: the floor of 10
    // retries, then at most one retry for every five attempts.
    int attempts = primary.requestCount();
    assertTrue(attempts <= 45, "attempts on the failing upstream: " + attempts);
    assertTrue(attempts >= requests + 10, "the floor of retries is kept: " + attempts);
  }

  @Test
  void anUploadTooLargeToReplayThatReachedNoUpstreamTellsTheSdkToRetry() {
    bed.start(
        ProxyTestBed.config(
            "http://127.0.0.1:" + ProxyTestBed.closedPort() + "/v1", secondary.baseUrl()));
    Buffer big = Buffer.buffer(new byte[11 * 1024 * 1024]);
    Answer answer =
        bed.send(
            HttpMethod.POST, "/v1/files", Map.of("Content-Type", "application/octet-stream"), big);
    assertEquals(502, answer.status());
    assertEquals("true", answer.header("x-should-retry"), "the sidecar could not retry it");
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void anUploadThatReachedItsUpstreamIsNotRetriedByTheSdkEither() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(500));
    Answer answer =
        bed.send(
            HttpMethod.POST,
            "/v1/audio/transcriptions",
            Map.of("Content-Type", "application/octet-stream"),
            Buffer.buffer(new byte[11 * 1024 * 1024]));
    assertEquals(502, answer.status());
    assertEquals("false", answer.header("x-should-retry"));
  }
}
