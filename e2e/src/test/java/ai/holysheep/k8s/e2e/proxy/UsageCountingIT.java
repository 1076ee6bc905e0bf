package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens are counted exactly for every route of the table, without changing the app's bytes. */
class UsageCountingIT extends OneUpstream {
  /** The simulator's answers have 5 content chunks: 5 completion tokens. */
  private static final int COMPLETION = 5;

  /** Tokens of one type on the primary, whatever the model label. */
  private double tokens(String type) {
    double sum = 0;
    for (String model : new String[] {"gpt-4o-mini", "sim-model", "other"}) {
      sum +=
          bed.metric(
              "holysheep_tokens_total{model=\""
                  + model
                  + "\",type=\""
                  + type
                  + "\",upstream=\"primary\"}");
    }
    return sum;
  }

  /** The simulator's prompt tokens: a quarter of the body it received. */
  private long promptOfLastRequest() {
    var received = primary.received();
    return Math.max(1, received.get(received.size() - 1).bodySize() / 4);
  }

  private static String normalized(String stream) {
    return stream
        .replaceAll("\"id\":\"[^\"]*\"", "\"id\":\"ID\"")
        .replaceAll("\"created\":\\d+", "\"created\":0");
  }

  @Test
  void aStreamWhoseAppDidNotAskForUsageIsCountedAndReachesTheAppByteForByte() {
    JsonObject body = ProxyTestBed.chatBody(false).put("stream", true);
    Answer viaSidecar =
        bed.send(
            HttpMethod.POST,
            ProxyTestBed.CHAT,
            ProxyTestBed.JSON_HEADERS,
            Buffer.buffer(body.encode()));
    long prompt = promptOfLastRequest();
    assertTrue(
        primary
            .received()
            .get(0)
            .bodyAsJson()
            .getJsonObject("stream_options")
            .getBoolean("include_usage"),
        "the sidecar asked the upstream for usage");
    String direct =
        bed.direct(
                primary, ProxyTestBed.CHAT, ProxyTestBed.JSON_HEADERS, Buffer.buffer(body.encode()))
            .text();
    assertEquals(normalized(direct), normalized(viaSidecar.text()));
    assertFalse(viaSidecar.text().contains("\"usage\""), viaSidecar.text());
    assertEquals(prompt, tokens("prompt"));
    assertEquals(COMPLETION, tokens("completion"));
  }

  @Test
  void anAppThatAskedForUsageGetsItAndItIsCountedOnce() {
    Answer answer = bed.chat(true);
    assertTrue(answer.text().contains("\"usage\":{\"prompt_tokens\""));
    assertEquals(promptOfLastRequest(), tokens("prompt"));
    assertEquals(COMPLETION, tokens("completion"));
  }

  @Test
  void cumulativeUsageRepeatedOnEveryChunkIsCountedOnce() {
    primary.setFault(Fault.builder().repeatUsage(true).build());
    Answer answer = bed.chat(true);
    assertTrue(answer.text().endsWith("data: [DONE]\n\n"));
    assertEquals(promptOfLastRequest(), tokens("prompt"));
    assertEquals(COMPLETION, tokens("completion"));
  }

  @Test
  void theResponsesApiIsCountedInJsonAndInStreams() {
    JsonObject request = new JsonObject().put("model", "gpt-4o-mini").put("input", "hi");
    Answer json = bed.post("/v1/responses", request);
    assertEquals(200, json.status());
    long firstPrompt = promptOfLastRequest();
    assertEquals(firstPrompt, tokens("prompt"));
    assertEquals(COMPLETION, tokens("completion"));
    Answer stream = bed.post("/v1/responses", request.copy().put("stream", true));
    assertTrue(stream.text().contains("event: response.completed"));
    assertEquals(firstPrompt + promptOfLastRequest(), tokens("prompt"));
    assertEquals(2 * COMPLETION, tokens("completion"));
  }

  @Test
  void embeddingsCountTheirPromptTokens() {
    Answer answer =
        bed.post(
            "/v1/embeddings",
            new JsonObject()
                .put("model", "text-embedding-3-small")
                .put("input", new JsonArray().add("a").add("b")));
    assertEquals(200, answer.status());
    assertEquals(promptOfLastRequest(), tokens("prompt"));
    assertEquals(0.0, tokens("completion"));
  }

  @Test
  void aJsonChatIsCountedFromItsUsage() {
    bed.send(
        HttpMethod.POST,
        ProxyTestBed.CHAT,
        Map.of("content-type", "application/json"),
        Buffer.buffer(ProxyTestBed.chatBody(false).encode()));
    assertEquals(promptOfLastRequest(), tokens("prompt"));
    assertEquals(COMPLETION, tokens("completion"));
  }
}
