package ai.holysheep.k8s.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FactsTest {
  @Test
  void numberedSamplesAreSummarisedByTheirMedian() {
    Facts odd =
        Facts.parse(
            List.of(
                "s.start.pod.1.ready_ms=900",
                "s.start.pod.2.ready_ms=2500",
                "s.start.pod.3.ready_ms=800"));
    assertEquals(900, odd.median("s.start.pod", "ready_ms"), 1e-9);
    Facts even = Facts.parse(List.of("s.rest.1.rss_kib=10", "s.rest.2.rss_kib=30"));
    assertEquals(20, even.median("s.rest", "rss_kib"), 1e-9);
  }

  @Test
  void aLaterLineWinsAndValuesMayContainEqualsSigns() {
    Facts facts = Facts.parse(List.of("a=1", "a=2", "args=-Dx=y -jar z"));
    assertEquals(2, facts.number("a"), 1e-9);
    assertEquals("-Dx=y -jar z", facts.text("args"));
  }

  @Test
  void missingOrNonNumericFactsAreNotANumber() {
    Facts facts = Facts.parse(List.of("text=abc", "empty="));
    assertTrue(Double.isNaN(facts.number("absent")));
    assertTrue(Double.isNaN(facts.number("text")));
    assertTrue(Double.isNaN(facts.number("empty")));
    assertTrue(Double.isNaN(facts.median("absent", "x")));
  }
}
