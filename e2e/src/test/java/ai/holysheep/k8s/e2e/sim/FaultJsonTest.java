package ai.holysheep.k8s.e2e.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultJsonTest {
  @Test
  void everyFieldSurvivesARoundTrip() {
    Fault fault =
        Fault.builder()
            .status(429)
            .retryAfter("2")
            .headerDelay(Duration.ofMillis(250))
            .eventDelay(Duration.ofSeconds(1))
            .errorInStream(true)
            .resetBeforeHeaders(true)
            .resetAfterEvents(3)
            .stallAfterEvents(4)
            .hang(true)
            .times(2)
            .path("/v1/chat")
            .build();
    assertEquals(fault, Fault.fromJson(fault.toJson()));
  }

  @Test
  void durationsAcceptUnitsOrBareMilliseconds() {
    assertEquals(
        Duration.ofSeconds(2),
        Fault.fromJson(new JsonObject("{\"headerDelay\":\"2s\"}")).headerDelay());
    assertEquals(
        Duration.ofMillis(40), Fault.fromJson(new JsonObject("{\"eventDelay\":40}")).eventDelay());
  }

  @Test
  void defaultsToEveryRequestOnEveryPath() {
    Fault fault = Fault.fromJson(new JsonObject("{\"hang\":true}"));
    assertEquals(Fault.EVERY_REQUEST, fault.times());
    assertTrue(fault.matches("/anything"));
  }

  @Test
  void refusesBadValuesNamingTheField() {
    assertMessage("{\"status\":700}", "status: 700 is not an HTTP status");
    assertMessage("{\"times\":0}", "times: 0 is not allowed");
    assertMessage("{\"path\":\"v1\"}", "path: \"v1\" must start with '/'");
    assertMessage("{\"hang\":\"yes\"}", "hang: yes is not true or false");
    assertMessage("{\"resetAfterEvents\":1.5}", "resetAfterEvents: 1.5 is not a whole number");
    assertMessage("{\"resetAfterEvents\":-1}", "resetAfterEvents: -1 is negative");
  }

  private static void assertMessage(String json, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fault.fromJson(new JsonObject(json)));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
