package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Answers are held only up to a bound, relayed beyond it, and relays have an idle limit. */
class BoundedAnswersIT extends OneUpstream {
  private Future<Answer> speech() {
    return bed.sendAsync(
        HttpMethod.POST,
        "/v1/audio/speech",
        ProxyTestBed.JSON_HEADERS,
        Buffer.buffer("{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\"}"));
  }

  /** The failure of a future that must fail (not time out) within the await bound. */
  private static Throwable failureOf(Future<?> future) {
    try {
      future
          .toCompletionStage()
          .toCompletableFuture()
          .get(ProxyTestBed.AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("still waiting after " + ProxyTestBed.AWAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    throw new AssertionError("the answer completed, but it should have broken");
  }

  @Test
  void aJsonAnswerStallingAfterItsHeadersEndsAfterStreamIdleTimeoutNotResponseTimeout() {
    primary.setFault(Fault.ofStallAfterEvents(0));
    Answer answer = bed.chat();
    assertEquals(502, answer.status());
    assertEquals(
        "upstream_body_interrupted", answer.json().getJsonObject("error").getString("code"));
    assertEquals(1, answer.attempts(), "the upstream did the work: never replayed");
  }

  @Test
  void aRelayedAnswerStallingAfterItsHeadersIsBrokenOffNotLeftHanging() {
    primary.setFault(Fault.ofStallAfterEvents(0));
    Throwable broken = failureOf(speech());
    assertFalse(broken instanceof TimeoutException, String.valueOf(broken));
    await(primary.awaitCancelled(1));
  }

  @Test
  void aRelayedAnswerArrivesWholeAndByteForByte() {
    Answer answer = await(speech());
    assertEquals(200, answer.status());
    assertEquals("audio/mpeg", answer.header("content-type"));
    assertEquals(256 * 1024, answer.body().length());
    assertEquals((byte) 7, answer.body().getByte(0));
    assertEquals((byte) (1000 * 31 + 7), answer.body().getByte(1000));
  }

  @Test
  void anAppLeavingARelayedAnswerThatStalledCancelsTheUpstream() {
    // Idle and response limits far away: only the app leaving can end the relay in time.
    bed.restart(
        ProxyTestBed.config(primary.baseUrl())
            .put("streamIdleTimeout", "60s")
            .put("responseTimeout", "60s"));
    primary.setFault(Fault.ofStallAfterEvents(0));
    Promise<HttpConnection> connection = Promise.promise();
    Promise<Void> firstBytes = Promise.promise();
    RequestOptions options = bed.proxyPost("/v1/audio/speech");
    bed.app
        .request(options)
        .onSuccess(
            request -> {
              connection.complete(request.connection());
              request
                  .send(Buffer.buffer("{}"))
                  .onSuccess(
                      (HttpClientResponse response) ->
                          response.handler(chunk -> firstBytes.tryComplete()));
            });
    await(firstBytes.future());
    await(await(connection.future()).close());
    await(primary.awaitCancelled(1));
  }

  @Test
  void aLargeChunkedJsonAnswerIsRelayedWholeWithItsUsageCounted() {
    primary.setFault(Fault.builder().answerSize(12L * 1024 * 1024).build());
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream());
    assertTrue(Math.abs(answer.body().length() - 12 * 1024 * 1024) < 16);
    JsonObject usage = answer.json().getJsonObject("usage");
    assertEquals(
        usage.getInteger("prompt_tokens").doubleValue(),
        bed.metric(
                "holysheep_tokens_total{model=\"gpt-4o-mini\",type=\"prompt\",upstream=\"primary\"}")
            + bed.metric(
                "holysheep_tokens_total{model=\"other\",type=\"prompt\",upstream=\"primary\"}"));
  }
}
