package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.Simulator;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fallback that serves some models under its own names (config {@code fallbacks[].models}). */
class ModelMappingIT {
  private ProxyTestBed bed;
  private Simulator primary;
  private Simulator mapped;

  @BeforeEach
  void setUp() {
    bed = new ProxyTestBed();
    primary = bed.sim("primary-sim");
    mapped = bed.sim("mapped-sim");
    JsonObject config = ProxyTestBed.config(primary.baseUrl(), mapped.baseUrl());
    config
        .getJsonArray("fallbacks")
        .getJsonObject(0)
        .put("models", new JsonObject().put("gpt-4.1-mini", "gpt-4o-mini"));
    bed.start(config);
  }

  @AfterEach
  void tearDown() {
    bed.close();
  }

  private Answer chat(String model) {
    return bed.post(
        ProxyTestBed.CHAT,
        new JsonObject()
            .put("model", model)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
  }

  @Test
  void aMappedFallbackGetsItsOwnModelNameAndTokensCarryTheModelItAnsweredWith() {
    primary.setFault(Fault.ofStatus(503));
    // a proxied GET /v1/models teaches the sidecar which models the fallback lists
    assertEquals(200, bed.send(HttpMethod.GET, "/v1/models", Map.of(), null).status());
    Answer answer = chat("gpt-4.1-mini");
    assertEquals(200, answer.status(), answer.text());
    assertEquals("secondary", answer.upstream());
    JsonObject sent =
        new JsonObject(mapped.received().get(mapped.received().size() - 1).bodyAsString());
    assertEquals("gpt-4o-mini", sent.getString("model"), "renamed for the fallback");
    assertEquals("hi", sent.getJsonArray("messages").getJsonObject(0).getString("content"));
    assertEquals("gpt-4o-mini", answer.json().getString("model"));
    assertTrue(
        bed.metric(
                "holysheep_tokens_total{model=\"gpt-4o-mini\",type=\"prompt\",upstream=\"secondary\"}")
            > 0,
        "tokens are counted under the model the upstream answered with");
    JsonObject primarySaw =
        new JsonObject(primary.received().get(primary.received().size() - 1).bodyAsString());
    assertEquals("gpt-4.1-mini", primarySaw.getString("model"), "the primary gets the app's name");
  }

  @Test
  void aModelTheFallbackDoesNotServeSkipsIt() {
    primary.setFault(Fault.ofStatus(503));
    Answer answer = chat("claude-sonnet-4.5");
    assertEquals(502, answer.status(), answer.text());
    assertEquals(0, mapped.requestCount(), "a listed fallback never sees other models");
    assertTrue(primary.requestCount() >= 1);
  }
}
