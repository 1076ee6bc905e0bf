package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way an upstream says "not done" fails over; a deterministic error reaches the app. */
class FailureClassesIT extends TwoUpstreams {
  @BeforeEach
  void startSidecar() {
    bed.start(config());
  }

  private String breaker() {
    return bed.upstreamStatus("primary").getString("breaker");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 520, 521, 522, 523, 524, 529})
  void timeoutCdnAndOverloadStatusesFailOverAndCountAgainstTheBreaker(int status) {
    primary.setFault(Fault.ofStatus(status));
    for (int i = 0; i < 3; i++) {
      Answer answer = bed.chat();
      assertEquals(200, answer.status());
      assertEquals("secondary", answer.upstream());
    }
    assertEquals("open", breaker());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anHtmlPageWith200FailsOverAndCountsAsFailure(boolean stream) {
    primary.setFault(Fault.ofHtml(200));
    Answer answer = bed.chat(stream);
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertFalse(answer.text().contains("<html"), answer.text());
    if (stream) {
      assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
    }
    assertEquals(
        1.0,
        bed.metric(
            "holysheep_upstream_attempts_total{result=\"bad_answer\",upstream=\"primary\"}"));
  }

  @Test
  void anHtml502FromACdnFailsOverWithTheSidecarsOwnErrorWhenAllFail() {
    primary.setFault(Fault.ofHtml(502));
    secondary.setFault(Fault.ofHtml(502));
    Answer answer = bed.chat();
    assertEquals(502, answer.status());
    assertEquals("application/json", answer.header("content-type"));
    assertEquals("upstream_error", answer.json().getJsonObject("error").getString("type"));
  }

  @ParameterizedTest(name = "shape {0}, marker key last {1}, stream {2}")
  @CsvSource({
    "error, false, false",
    "error, true, false",
    "type, false, false",
    "type, true, false",
    "object, false, false",
    "object, true, false",
    "error, true, true",
    "type, true, true",
    "object, true, true"
  })
  void a200ErrorObjectInAnyShapeFailsOverAndIsNeverASuccess(
      String shape, boolean keyLast, boolean stream) {
    primary.setFault(
        Fault.ofErrorObject(shape, "server_error").toBuilder().errorKeyLast(keyLast).build());
    Answer answer = bed.chat(stream);
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertFalse(answer.text().contains("simulated server error"), answer.text());
    assertEquals(
        0.0,
        bed.metric("holysheep_upstream_attempts_total{result=\"success\",upstream=\"primary\"}"));
  }

  @Test
  void aNonSseAnswerToAStreamRequestFailsOver() {
    primary.setFault(Fault.builder().notSse(true).build());
    Answer answer = bed.chat(true);
    assertEquals("secondary", answer.upstream());
    assertTrue(answer.header("content-type").startsWith("text/event-stream"));
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"context_length_exceeded", "content_filter"})
  void aDeterministicErrorInTheFirstEventReachesTheAppAs400WithTheUpstreamsMessage(String code) {
    primary.setFault(Fault.ofErrorObject("error", code));
    for (int i = 0; i < 3; i++) {
      Answer answer = bed.chat(true);
      assertEquals(400, answer.status());
      assertTrue(answer.header("content-type").startsWith("application/json"));
      JsonObject error = answer.json().getJsonObject("error");
      assertEquals(code, error.getString("code"));
      assertEquals("invalid_request_error", error.getString("type"));
      assertFalse(error.getString("message").isBlank());
      assertEquals("primary", answer.upstream());
    }
    assertEquals(0, secondary.requestCount(), "never retried");
    assertEquals("closed", breaker(), "never counted against the breaker");
  }

  @Test
  void aDeterministicErrorObjectIn200JsonOfAnyShapeIsPassedThroughAs400() {
    primary.setFault(
        Fault.ofErrorObject("object", "context_length_exceeded").toBuilder()
            .errorKeyLast(true)
            .build());
    Answer answer = bed.chat();
    assertEquals(400, answer.status());
    assertTrue(
        answer
            .json()
            .getJsonObject("error")
            .getString("message")
            .contains("maximum context length"));
    assertEquals(0, secondary.requestCount());
  }
}
