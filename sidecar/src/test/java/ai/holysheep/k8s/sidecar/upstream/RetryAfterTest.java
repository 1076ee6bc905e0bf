package ai.holysheep.k8s.sidecar.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void parsesSeconds() {
    assertEquals(Duration.ofSeconds(7), RetryAfter.parse(null, "7", NOW));
    assertEquals(Duration.ofMillis(1500), RetryAfter.parse(null, "1.5", NOW));
  }

  @Test
  void prefersMilliseconds() {
    assertEquals(Duration.ofMillis(250), RetryAfter.parse("250", "7", NOW));
  }

  @Test
  void parsesHttpDates() {
    assertEquals(
        Duration.ofSeconds(30), RetryAfter.parse(null, "Thu, 01 Jan 2026 00:00:30 GMT", NOW));
  }

  @Test
  void pastDatesMeanNoWait() {
    assertEquals(Duration.ZERO, RetryAfter.parse(null, "Wed, 31 Dec 2025 23:59:00 GMT", NOW));
  }

  @Test
  void garbageAndAbsenceGiveNull() {
    assertNull(RetryAfter.parse(null, "soon", NOW));
    assertNull(RetryAfter.parse(null, null, NOW));
    assertNull(RetryAfter.parse("", " ", NOW));
  }

  @Test
  void capsHugeWaits() {
    assertEquals(RetryAfter.MAX_RETRY_AFTER, RetryAfter.parse(null, "999999", NOW));
  }

  @Test
  void headerSecondsRoundUpToAtLeastOne() {
    assertEquals(1, RetryAfter.toHeaderSeconds(Duration.ofMillis(10)));
    assertEquals(3, RetryAfter.toHeaderSeconds(Duration.ofMillis(2001)));
  }
}
