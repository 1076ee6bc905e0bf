package ai.holysheep.k8s.e2e.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The /_sim/ control endpoints, driven over HTTP as a process-level test would. */
class SimulatorAdminIT extends OneSimulatorIT {
  @Override
  SimulatorOptions options() {
    return SimulatorOptions.named("admin");
  }

  private String admin(String route) {
    return sim.rootUrl() + "/_sim/" + route;
  }

  @Test
  void postedFaultAppliesAndDeleteClearsIt() throws Exception {
    HttpResponse<String> set =
        SimHttp.post(admin("fault"), "{\"status\":503,\"headerDelay\":\"10ms\",\"times\":5}");
    assertEquals(200, set.statusCode(), set.body());
    assertEquals(
        Fault.builder().status(503).headerDelay(Duration.ofMillis(10)).times(5).build(),
        sim.fault());
    assertEquals(503, SimHttp.post(sim.baseUrl() + "/chat/completions", "{}").statusCode());
    JsonObject shown = new JsonObject(SimHttp.get(admin("fault")).body()).getJsonObject("fault");
    assertEquals(4, shown.getInteger("times"), "one of five uses spent");

    assertEquals(204, SimHttp.delete(admin("fault")).statusCode());
    assertNull(sim.fault());
    assertEquals(200, SimHttp.post(sim.baseUrl() + "/chat/completions", "{}").statusCode());
  }

  @Test
  void invalidFaultIsRefusedNamingTheField() throws Exception {
    HttpResponse<String> unknown = SimHttp.post(admin("fault"), "{\"resetAfter\":1}");
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("resetAfter: unknown field"), unknown.body());

    HttpResponse<String> badDelay = SimHttp.post(admin("fault"), "{\"eventDelay\":\"soon\"}");
    assertEquals(400, badDelay.statusCode());
    assertTrue(
        badDelay.body().contains("eventDelay: \\\"soon\\\" is not a duration"), badDelay.body());

    HttpResponse<String> notJson = SimHttp.post(admin("fault"), "[1]");
    assertEquals(400, notJson.statusCode());
    assertNull(sim.fault());
  }

  @Test
  void requestsAreListedAndClearedButAdminCallsAreNotRecorded() throws Exception {
    SimHttp.post(sim.baseUrl() + "/embeddings", "{\"input\":\"x\"}");
    JsonObject listed = new JsonObject(SimHttp.get(admin("requests")).body());
    assertEquals(1, listed.getInteger("requestsReceived"));
    JsonArray requests = listed.getJsonArray("requests");
    assertEquals(1, requests.size());
    JsonObject first = requests.getJsonObject(0);
    assertEquals("/v1/embeddings", first.getString("path"));
    assertEquals("{\"input\":\"x\"}", first.getString("body"));
    assertEquals(
        "application/json",
        first.getJsonObject("headers").getJsonArray("content-type").getString(0));

    assertEquals(204, SimHttp.delete(admin("requests")).statusCode());
    assertTrue(sim.received().isEmpty());
    assertEquals(
        0, new JsonObject(SimHttp.get(admin("stats")).body()).getInteger("requestsReceived"));
  }

  @Test
  void requestsSinceANumberListOnlyTheNewerOnesAndTheNumberToAskFromNext() throws Exception {
    for (int i = 0; i < 3; i++) {
      SimHttp.post(sim.baseUrl() + "/embeddings", "{\"input\":\"" + i + "\"}");
    }
    JsonObject all = new JsonObject(SimHttp.get(admin("requests?since=0")).body());
    assertEquals(3, all.getJsonArray("requests").size());
    assertEquals(3, all.getInteger("next"));
    for (int i = 3; i < 5; i++) {
      SimHttp.post(sim.baseUrl() + "/embeddings", "{\"input\":\"" + i + "\"}");
    }
    JsonObject newer = new JsonObject(SimHttp.get(admin("requests?since=3")).body());
    JsonArray requests = newer.getJsonArray("requests");
    assertEquals(2, requests.size());
    assertEquals("{\"input\":\"3\"}", requests.getJsonObject(0).getString("body"));
    assertEquals(5, newer.getInteger("next"));
    HttpResponse<String> bad = SimHttp.get(admin("requests?since=-1"));
    assertEquals(400, bad.statusCode());
    assertEquals(
        "since: \"-1\" is not a whole number of 0 or more",
        new JsonObject(bad.body()).getJsonObject("error").getString("message"));
  }

  @Test
  void unknownAdminRouteIsA404ThatListsTheRoutes() throws Exception {
    HttpResponse<String> response = SimHttp.get(admin("nope"));
    assertEquals(404, response.statusCode());
    assertTrue(response.body().contains("/_sim/fault"));
  }

  @Test
  void faultsNeverApplyToAdminCalls() throws Exception {
    sim.setFault(Fault.ofResetBeforeHeaders());
    assertEquals(200, SimHttp.get(admin("stats")).statusCode());
    assertEquals(204, SimHttp.delete(admin("fault")).statusCode());
  }
}
