package ai.holysheep.k8s.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySamplesTest {
  static final String HEADER =
      "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset";

  /** One hey CSV line: latency in ms, status, start offset in seconds. */
  static String line(double latencyMs, int status, double offsetSeconds) {
    return String.format(
        java.util.Locale.ROOT,
        "%.4f,0.0000,0.0000,0.0000,0.0000,0.0000,%d,%.4f",
        latencyMs / 1000,
        status,
        offsetSeconds);
  }

  static List<String> oneToHundredMs() {
    List<String> lines = new ArrayList<>(List.of(HEADER));
    for (int i = 100; i >= 1; i--) {
      lines.add(line(i, 200, i / 10.0));
    }
    return lines;
  }

  @Test
  void percentilesAreNearestRankOverTheAnswers() {
    LatencySamples samples = LatencySamples.parse(oneToHundredMs());
    assertEquals(100, samples.count());
    assertEquals(50.0, samples.percentileMs(50), 1e-9);
    assertEquals(99.0, samples.percentileMs(99), 1e-9);
    assertEquals(100.0, samples.percentileMs(99.9), 1e-9);
    assertEquals(1.0, samples.percentileMs(0.5), 1e-9);
  }

  @Test
  void answersOtherThan200AreFailuresNotLatencies() {
    LatencySamples samples =
        LatencySamples.parse(
            List.of(HEADER, line(1, 200, 0), line(900, 502, 0.1), line(2, 0, 0.2)));
    assertEquals(1, samples.count());
    assertEquals(2, samples.failed());
    assertEquals(1.0, samples.percentileMs(99), 1e-9);
  }

  @Test
  void aWindowKeepsTheRequestsThatStartedInsideIt() {
    LatencySamples window = LatencySamples.parse(oneToHundredMs()).window(2.0, 3.0);
    // offsets 2.0 .. 2.9 are the answers of 20 .. 29 ms
    assertEquals(10, window.count());
    assertEquals(20.0, window.percentileMs(1), 1e-9);
    assertEquals(29.0, window.percentileMs(100), 1e-9);
  }

  @Test
  void noAnswersMeansNoPercentile() {
    assertTrue(Double.isNaN(LatencySamples.parse(List.of(HEADER)).percentileMs(50)));
  }
}
