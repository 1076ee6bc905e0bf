package ai.holysheep.k8s.sidecar.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OverloadOptionsTest {

  @Test
  void withoutEnvTheDefaultsHoldAThousandStreams() {
    OverloadOptions options = OverloadOptions.fromEnv(Map.of());
    assertEquals(OverloadOptions.defaults(), options);
    assertEquals(1536, options.maxInFlight());
    assertEquals(2048, options.maxConnections());
  }

  @Test
  void envVarsSetTheBounds() {
    OverloadOptions options =
        OverloadOptions.fromEnv(
            Map.of("HOLYSHEEP_MAX_IN_FLIGHT", " 300 ", "HOLYSHEEP_MAX_APP_CONNECTIONS", "500"));
    assertEquals(300, options.maxInFlight());
    assertEquals(500, options.maxConnections());
  }

  @Test
  void aBadValueNamesTheVariableTheValueAndTheRange() {
    IllegalArgumentException notNumber =
        assertThrows(
            IllegalArgumentException.class,
            () -> OverloadOptions.fromEnv(Map.of("HOLYSHEEP_MAX_IN_FLIGHT", "lots")));
    assertEquals(
        "HOLYSHEEP_MAX_IN_FLIGHT: \"lots\" is not allowed; allowed: a whole number 1-1000000",
        notNumber.getMessage());
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> OverloadOptions.fromEnv(Map.of("HOLYSHEEP_MAX_APP_CONNECTIONS", "0")));
    assertEquals(
        "HOLYSHEEP_MAX_APP_CONNECTIONS: \"0\" is not allowed; allowed: a whole number 1-1000000",
        zero.getMessage());
  }

  @Test
  void aRetryAfterUnderOneSecondIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new OverloadOptions(
                    1, 1, java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1)));
    assertEquals(
        "retryAfter: PT0.5S is shorter than the 1 s a Retry-After can say", e.getMessage());
  }
}
