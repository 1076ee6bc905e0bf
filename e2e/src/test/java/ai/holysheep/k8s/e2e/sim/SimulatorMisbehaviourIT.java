package ai.holysheep.k8s.e2e.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider-like misbehaviours (HTML pages, error objects in every shape, keep-alives, missing
 * [DONE], big chunked answers, …), each set through {@code POST /_sim/fault} with its JSON name, as
 * the chaos suite drives them.
 */
class SimulatorMisbehaviourIT extends OneSimulatorIT {
  private static final String STREAM = "{\"model\":\"m\",\"stream\":true}";

  @Override
  SimulatorOptions options() {
    return SimulatorOptions.named("odd").withStreamEvents(3);
  }

  private void fault(String json) throws Exception {
    HttpResponse<String> set = SimHttp.post(sim.rootUrl() + "/_sim/fault", json);
    assertEquals(200, set.statusCode(), set.body());
  }

  private HttpResponse<String> chat(String body) throws Exception {
    return SimHttp.post(sim.baseUrl() + "/chat/completions", body);
  }

  private static List<String> dataEvents(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
    }
    return data;
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 502})
  void anHtmlPageWithAnyStatus(int status) throws Exception {
    fault("{\"html\":true,\"status\":" + status + "}");
    HttpResponse<String> answer = chat(STREAM);
    assertEquals(status, answer.statusCode());
    assertTrue(answer.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
    assertTrue(answer.body().startsWith("<!DOCTYPE html>"));
  }

  @Test
  void errorObjectsInEachShapeAndKeyOrder() throws Exception {
    fault("{\"errorObject\":\"error\",\"errorKeyLast\":true}");
    JsonObject openAi = new JsonObject(chat("{}").body());
    assertEquals("server_error", openAi.getJsonObject("error").getString("code"));
    assertFalse(openAi.fieldNames().iterator().next().equals("error"));
    fault("{\"errorObject\":\"type\",\"errorKeyLast\":true}");
    JsonObject anthropic = new JsonObject(chat("{}").body());
    assertEquals("error", anthropic.getString("type"));
    assertEquals(List.of("error", "type"), List.copyOf(anthropic.fieldNames()));
    fault("{\"errorObject\":\"object\",\"errorCode\":\"context_length_exceeded\"}");
    HttpResponse<String> vllm = chat("{}");
    assertEquals(200, vllm.statusCode());
    JsonObject json = new JsonObject(vllm.body());
    assertEquals("error", json.getString("object"));
    assertEquals("invalid_request_error", json.getString("type"));
    assertTrue(json.getString("message").contains("maximum context length"));
  }

  @Test
  void aDeterministicErrorInTheFirstStreamEvent() throws Exception {
    fault("{\"errorObject\":\"error\",\"errorCode\":\"content_filter\"}");
    HttpResponse<String> answer = chat(STREAM);
    assertEquals(200, answer.statusCode());
    List<String> data = dataEvents(answer.body());
    assertEquals(1, data.size());
    assertEquals(
        "content_filter", new JsonObject(data.get(0)).getJsonObject("error").getString("code"));
  }

  @Test
  void keepAliveCommentsBeforeALateFirstEventAndNoDone() throws Exception {
    fault("{\"commentEvery\":\"20ms\",\"firstEventDelay\":\"150ms\",\"noDone\":true}");
    String body = chat(STREAM).body();
    assertTrue(body.startsWith(": keep-alive\n\n"), body);
    assertFalse(body.contains("[DONE]"));
    assertEquals(4, dataEvents(body).size(), "3 content chunks and the finish chunk");
  }

  @Test
  void aBigChunkedAnswerWithoutContentLength() throws Exception {
    fault("{\"answerSize\":\"2Mi\"}");
    HttpResponse<String> answer = chat("{\"model\":\"m\"}");
    assertTrue(answer.headers().firstValue("content-length").isEmpty());
    assertTrue(
        Math.abs(answer.body().length() - 2 * 1024 * 1024) < 16, "" + answer.body().length());
    assertEquals(
        "length",
        new JsonObject(answer.body())
            .getJsonArray("choices")
            .getJsonObject(0)
            .getString("finish_reason"));
  }

  @Test
  void aNonSseAnswerToAStreamRequestAndARepeatedUsage() throws Exception {
    fault("{\"notSse\":true,\"times\":1}");
    HttpResponse<String> json = chat(STREAM);
    assertTrue(
        json.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
    fault("{\"repeatUsage\":true}");
    List<String> data = dataEvents(chat(STREAM).body());
    for (String chunk : data.subList(0, data.size() - 1)) {
      assertTrue(new JsonObject(chunk).getJsonObject("usage").getInteger("total_tokens") > 0);
    }
  }

  @Test
  void dripAndEventSizeAndTheResponsesApi() throws Exception {
    fault("{\"drip\":\"1ms\",\"eventSize\":\"4Ki\"}");
    List<String> data = dataEvents(chat(STREAM).body());
    assertTrue(data.get(0).length() > 4000, "" + data.get(0).length());
    sim.clearFault();
    String responses =
        SimHttp.post(sim.baseUrl() + "/responses", "{\"model\":\"m\",\"stream\":true}").body();
    assertTrue(responses.startsWith("event: response.created\n"), responses);
    List<String> events = dataEvents(responses);
    JsonObject completed = new JsonObject(events.get(events.size() - 1));
    assertEquals("response.completed", completed.getString("type"));
    assertEquals(
        3, completed.getJsonObject("response").getJsonObject("usage").getInteger("output_tokens"));
  }

  @Test
  void aRateLimitNamesTheRequestedModel() throws Exception {
    fault("{\"status\":429}");
    String message =
        new JsonObject(chat("{\"model\":\"gpt-4o-mini\"}").body())
            .getJsonObject("error")
            .getString("message");
    assertTrue(message.startsWith("Rate limit reached for gpt-4o-mini"), message);
  }

  @Test
  void unknownOrBadFieldsAreRefusedNamingThem() throws Exception {
    HttpResponse<String> bad =
        SimHttp.post(sim.rootUrl() + "/_sim/fault", "{\"errorObject\":\"xml\"}");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("errorObject: \\\"xml\\\" is not allowed"), bad.body());
    HttpResponse<String> size =
        SimHttp.post(sim.rootUrl() + "/_sim/fault", "{\"answerSize\":\"lots\"}");
    assertTrue(size.body().contains("answerSize"), size.body());
  }
}
