package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An object lives in one provider account: stateful routes go to the primary only. */
class StatefulRoutesIT extends TwoUpstreams {
  private void start() {
    bed.start(config());
  }

  private Answer upload() {
    return bed.send(
        HttpMethod.POST,
        "/v1/files",
        Map.of("Content-Type", "multipart/form-data; boundary=b"),
        Buffer.buffer(
            "--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--b--\r\n"));
  }

  @Test
  void aFileUploadAnswered502IsPassedThroughAndNeverCreatedOnTheFallback() {
    start();
    primary.setFault(Fault.ofStatus(502));
    Answer answer = upload();
    assertEquals(502, answer.status());
    assertEquals("primary", answer.upstream());
    assertEquals("primary-sim", answer.header("x-sim-name"), "the upstream's own answer");
    assertEquals(1, primary.requestCount());
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void aSlowBatchCreateRunsOnOneUpstreamOnly() {
    start();
    primary.setFault(Fault.ofHeaderDelay(Duration.ofSeconds(1)));
    Answer answer = bed.post("/v1/batches", new JsonObject().put("input_file_id", "file-1"));
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream());
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void aRunWhoseAnswerIsCutAfterItsHeadersIsNeverReplayed() {
    start();
    primary.setFault(Fault.ofResetAfterEvents(0));
    Answer answer =
        bed.post("/v1/threads/thread_1/runs", new JsonObject().put("assistant_id", "asst_1"));
    assertEquals(502, answer.status());
    assertEquals(
        "upstream_body_interrupted", answer.json().getJsonObject("error").getString("code"));
    assertEquals(1, primary.requestCount());
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void aConnectFailureIsRetriedOnTheSameUpstreamOnly() {
    bed.start(
        ProxyTestBed.config(
            "http://127.0.0.1:" + ProxyTestBed.closedPort() + "/v1", secondary.baseUrl()));
    Answer answer = upload();
    assertEquals(502, answer.status());
    assertEquals("primary", answer.upstream());
    assertEquals(4, answer.attempts(), "one attempt plus maxRetries, all on the primary");
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void responsesWithStateArePinnedAndStatelessOnesFailOver() {
    start();
    primary.setFault(Fault.ofStatus(500));
    Answer chained =
        bed.post(
            "/v1/responses",
            new JsonObject()
                .put("model", "m")
                .put("input", "and then?")
                .put("previous_response_id", "resp_1"));
    assertEquals(500, chained.status());
    assertEquals(0, secondary.requestCount());
    Answer stored =
        bed.post("/v1/responses", new JsonObject().put("model", "m").put("store", true));
    assertEquals(500, stored.status());
    assertEquals(0, secondary.requestCount());
    Answer fresh =
        bed.post(
            "/v1/responses",
            new JsonObject().put("model", "m").put("input", "hi").put("store", false));
    assertEquals(200, fresh.status());
    assertEquals("secondary", fresh.upstream());
  }

  @Test
  void readsOfAccountObjectsStayOnThePrimaryAndMayBeRetriedThere() {
    start();
    primary.setFault(Fault.ofStatus(502).withTimes(2));
    Answer answer = bed.send(HttpMethod.GET, "/v1/files/file-1", Map.of(), null);
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream());
    assertEquals(3, answer.attempts());
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void theAppMayNameTheUpstreamThatHoldsItsObjects() {
    start();
    Answer answer =
        bed.send(
            HttpMethod.GET, "/v1/files/file-1", Map.of("x-holysheep-upstream", "secondary"), null);
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertEquals(0, primary.requestCount());
    assertEquals(
        null,
        secondary.received().get(0).header("x-holysheep-upstream"),
        "the header is the sidecar's, not forwarded");
    Answer unknown =
        bed.send(HttpMethod.GET, "/v1/files/file-1", Map.of("x-holysheep-upstream", "nope"), null);
    assertEquals(400, unknown.status());
    String message = unknown.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("primary, secondary"), message);
    assertEquals(1, secondary.requestCount());
  }
}
