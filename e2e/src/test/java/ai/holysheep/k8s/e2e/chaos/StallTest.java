package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StallTest {
  private static RequestOutcome answered(long sentAt, long endedAt) {
    return new RequestOutcome(
        "r" + sentAt, 0, false, sentAt, sentAt, endedAt, 200, "primary", 1, Verdict.OK, null);
  }

  @Test
  void findsTheLongestStretchWithoutAnAnswerWhileRequestsWereInFlight() {
    Stall stall =
        Stall.longest(
            List.of(
                answered(0, 100),
                answered(50, 150),
                answered(160, 5_200),
                answered(170, 5_210),
                answered(5_300, 5_400)));
    assertEquals(new Stall(160, 5_040), stall);
  }

  @Test
  void timeWithNothingInFlightIsNoStall() {
    Stall stall = Stall.longest(List.of(answered(0, 100), answered(10_000, 10_100)));
    assertEquals(new Stall(0, 100), stall);
  }

  @Test
  void anEmptyRunHasNoStall() {
    assertEquals(Stall.NONE, Stall.longest(List.of()));
  }
}
