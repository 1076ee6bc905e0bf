package ai.holysheep.k8s.e2e.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {
  @Test
  void parsesEveryFlag() {
    SimulatorOptions options =
        SimulatorMain.parse(
            new String[] {
              "--name",
              "upstream-b",
              "--host",
              "::1",
              "--port",
              "18080",
              "--tls-cert",
              "c.pem",
              "--tls-key",
              "k.pem",
              "--stream-events",
              "9",
              "--event-delay",
              "50ms",
              "--max-recorded",
              "40000"
            });
    assertEquals(
        new SimulatorOptions(
            "upstream-b",
            "::1",
            18080,
            new SimulatorOptions.Tls("c.pem", "k.pem"),
            9,
            Duration.ofMillis(50),
            40_000),
        options);
  }

  @Test
  void defaultsToLoopbackAndAnEphemeralPort() {
    SimulatorOptions options = SimulatorMain.parse(new String[0]);
    assertEquals("127.0.0.1", options.host());
    assertEquals(0, options.port());
    assertEquals(5, options.streamEvents());
  }

  @Test
  void refusesBadArgumentsNamingTheFlag() {
    assertMessage(new String[] {"--port", "eighty"}, "--port: \"eighty\" is not a whole number");
    assertMessage(new String[] {"--port", "70000"}, "port: 70000 is not a port");
    assertMessage(new String[] {"--tls-cert", "c.pem"}, "--tls-cert and --tls-key");
    assertMessage(new String[] {"--verbose", "1"}, "--verbose: unknown flag");
    assertMessage(new String[] {"--name"}, "--name: missing value");
    assertMessage(new String[] {"--name", "a b"}, "name: \"a b\" is not allowed");
    assertMessage(
        new String[] {"--event-delay", "fast"}, "--event-delay: \"fast\" is not a duration");
    assertMessage(new String[] {"--max-recorded", "-1"}, "maxRecorded: -1 is negative");
  }

  private static void assertMessage(String[] args, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(args));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
