package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerWatchTest {
  final AtomicLong now = new AtomicLong();
  final WorkerWatch watch = new WorkerWatch(now::get);

  @Test
  void anAdmissionRunningFarLongerThanAnyApiServerWaitsIsStuck() {
    long slow = watch.started();
    now.addAndGet(WorkerWatch.STUCK_AFTER.minusSeconds(1).toNanos());
    assertEquals(Optional.empty(), watch.stuck(), "slow, not yet stuck");

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertTrue(watch.stuck().orElseThrow().contains("180 s"), watch.stuck().toString());

    watch.finished(slow);
    assertEquals(Optional.empty(), watch.stuck(), "it finished: alive again");
  }
}
