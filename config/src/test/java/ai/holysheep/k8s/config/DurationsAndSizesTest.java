package ai.holysheep.k8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsAndSizesTest {
  @Test
  void formatRoundTripsTheSpecSpellings() {
    for (String text : List.of("30s", "250ms", "10m", "1h", "1500ms", "90s", "25h")) {
      assertEquals(text, Durations.format(Durations.parse("f", text)), text);
    }
  }

  @Test
  void formatPicksTheLargestExactUnit() {
    assertEquals("10m", Durations.format(Duration.ofSeconds(600)));
    assertEquals("2h", Durations.format(Duration.ofMinutes(120)));
    assertEquals("61s", Durations.format(Duration.ofSeconds(61)));
    assertEquals("0s", Durations.format(Duration.ZERO));
  }

  @Test
  void subMillisecondRemaindersRoundUpSoNothingPositiveBecomesZero() {
    assertEquals("1ms", Durations.format(Duration.ofNanos(1)));
  }

  @Test
  void decimalDurationsBecomeMilliseconds() {
    assertEquals(Duration.ofMillis(1500), Durations.parse("f", "1.5s"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("f", "1.5m"));
  }

  @Test
  void durationFinerThanAMillisecondIsRejected() {
    assertEquals(
        List.of(
            "f: \"1.5ms\" is finer than a millisecond; use a number with ms, s, m or h, e.g. 250ms, 30s, 10m"),
        assertThrows(ConfigException.class, () -> Durations.parse("f", "1.5ms")).errors());
  }

  @Test
  void durationParseErrorNamesTheField() {
    assertEquals(
        "cache.ttl: \"10 min\" is not a duration; use a number with ms, s, m or h, e.g. 250ms, 30s, 10m",
        assertThrows(ConfigException.class, () -> Durations.parse("cache.ttl", "10 min"))
            .getMessage());
    assertThrows(ConfigException.class, () -> Durations.parse("f", "-5s"));
    assertThrows(ConfigException.class, () -> Durations.parse("f", "5"));
    assertThrows(ConfigException.class, () -> Durations.parse("f", "5d"));
    assertThrows(ConfigException.class, () -> Durations.parse("f", null));
  }

  @Test
  void negativeDurationHasNoSpelling() {
    assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofSeconds(-1)));
  }

  @Test
  void sizesParseBinaryUnitsAndBytes() {
    assertEquals(16L * 1024 * 1024, Sizes.parse("f", "16Mi"));
    assertEquals(512L * 1024, Sizes.parse("f", "512Ki"));
    assertEquals(1L << 30, Sizes.parse("f", "1Gi"));
    assertEquals(1048576, Sizes.parse("f", "1048576"));
  }

  @Test
  void sizeErrorNamesTheFieldAndTheForm() {
    assertEquals(
        "cache.memoryLimit: \"1.5Mi\" is not a size; use a number of bytes or a number with Ki, Mi or Gi, e.g. 512Ki, 16Mi",
        assertThrows(ConfigException.class, () -> Sizes.parse("cache.memoryLimit", "1.5Mi"))
            .getMessage());
    assertThrows(ConfigException.class, () -> Sizes.parse("f", "999999999999999999Gi"));
    assertThrows(ConfigException.class, () -> Sizes.parse("f", "16mi"));
  }

  @Test
  void sizeFormatRoundTrips() {
    for (String text : List.of("16Mi", "512Ki", "1Gi", "1000", "0")) {
      assertEquals(text, Sizes.format(Sizes.parse("f", text)), text);
    }
  }
}
