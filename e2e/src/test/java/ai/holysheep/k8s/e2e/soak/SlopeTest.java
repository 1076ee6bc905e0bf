package ai.holysheep.k8s.e2e.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class SlopeTest {
  private static final LoadWindow.Counts NO_LOAD = new LoadWindow().roll();

  /** Samples every 10 s for 9 minutes with the given RSS. */
  private static List<Sample> rss(IntToDoubleFunction mib) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 54; i++) {
      samples.add(new Sample(60 + 10 * i, mib.applyAsDouble(i), 20, 40, 8, 2, 10, 1, NO_LOAD));
    }
    return samples;
  }

  @Test
  void aFlatSeriesWithNoiseIsFlat() {
    Slope slope = Slope.fit(SoakSeries.RSS, rss(i -> 150 + (i % 3 == 0 ? 6 : -3)));
    assertTrue(slope.flat(), slope.toString());
    assertEquals(54, slope.points());
  }

  @Test
  void aSteadyLeakIsGrowth() {
    // 0.5 MiB per sample = 3 MiB per minute = 26.5 MiB over the 8.8-minute fit, above 16 MiB
    Slope slope = Slope.fit(SoakSeries.RSS, rss(i -> 150 + 0.5 * i));
    assertFalse(slope.flat(), slope.toString());
    assertEquals(3.0, slope.perMinute(), 1e-9);
  }

  @Test
  void growthWithinTheAllowanceOfALargeSeriesIsFlat() {
    // 10 MiB over the fit on a 150 MiB mean: under both 16 MiB and 10 % of the mean
    Slope slope = Slope.fit(SoakSeries.RSS, rss(i -> 150 + 10.0 * i / 53));
    assertTrue(slope.flat(), slope.toString());
  }

  @Test
  void samplesWhereTheProbeFailedAreLeftOut() {
    Slope slope = Slope.fit(SoakSeries.RSS, rss(i -> i % 2 == 0 ? -1 : 150));
    assertEquals(27, slope.points());
    assertTrue(slope.flat());
  }

  @Test
  void fewerThanTwoSamplesIsNeverFlat() {
    assertFalse(Slope.fit(SoakSeries.RSS, rss(i -> 150).subList(0, 1)).flat());
  }
}
