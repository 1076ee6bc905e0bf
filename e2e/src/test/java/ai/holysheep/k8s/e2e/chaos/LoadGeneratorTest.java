package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The open-loop schedule, without sending anything. */
class LoadGeneratorTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  private LoadGenerator generator(int rate) {
    return new LoadGenerator(vertx, 1, rate, 0.5, Duration.ofSeconds(1), "t", o -> {});
  }

  @Test
  void withoutARampRequestsAreDueAtAFixedRate() {
    LoadGenerator load = generator(200);
    assertEquals(0, load.due(0));
    assertEquals(200, load.due(1000));
    assertEquals(12_000, load.due(60_000));
    assertEquals(5_000, load.scheduledAt(1000));
  }

  @Test
  void aRampSendsHalfTheFullRatesRequestsOverItsLengthThenHoldsTheRate() {
    LoadGenerator load = generator(1000).withRamp(Duration.ofSeconds(60));
    assertEquals(30_000, load.due(60_000), "the area under a 0 to 1000/s line over 60 s");
    assertEquals(7_500, load.due(30_000), "a quarter of that by half-way");
    assertEquals(31_000, load.due(61_000), "then 1000 per second");
    for (long seq : new long[] {1, 100, 7_500, 29_999, 30_000, 45_000}) {
      long at = load.scheduledAt(seq);
      assertTrue(load.due(at) <= seq && load.due(at + 2) >= seq, seq + " scheduled at " + at);
    }
  }
}
