package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarLogTest {
  @TempDir Path dir;

  @Test
  void readsBreakerTransitionsAtTheirLoggedTimeAndCountsSevereLines() throws Exception {
    Path file = dir.resolve("sidecar.log");
    Files.writeString(
        file,
        "holysheep-sidecar ready proxy=127.0.0.1:1 admin=127.0.0.1:2 config=abc\n"
            + "2026-11-30T06:22:48.547+0000 INFO ai.holysheep.k8s.sidecar.upstream.Resilience4jBreaker:"
            + " upstream primary: circuit breaker State transition from CLOSED to OPEN\n"
            + "2026-11-30T06:22:52.182+0000 INFO ai.holysheep.k8s.sidecar.upstream.Resilience4jBreaker:"
            + " upstream primary: circuit breaker State transition from OPEN to HALF_OPEN\n"
            + "2026-11-30T06:23:55.565+0000 SEVERE io.vertx.core.http.impl.HttpClientRequestImpl: Stream reset: 0\n"
            + "2026-11-30T06:23:55.566+0000 SEVERE io.vertx.core.http.impl.HttpClientRequestImpl: Stream reset: 0\n"
            + "\tat io.vertx.core.Something(Something.java:1)\n");
    SidecarLog log = SidecarLog.read(file);
    long opened = Instant.parse("2026-11-30T06:22:48.547Z").toEpochMilli();
    assertEquals(
        new BreakerSampler.Transition("primary", opened, "closed", "open", opened),
        log.transitions.get(0));
    assertEquals("half-open", log.transitions.get(1).to());
    assertEquals(0, log.transitions.get(1).openedAt());
    assertEquals(
        Map.of("io.vertx.core.http.impl.HttpClientRequestImpl: Stream reset: 0", 2), log.severe);
  }
}
