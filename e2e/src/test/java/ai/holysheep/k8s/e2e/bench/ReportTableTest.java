package ai.holysheep.k8s.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {
  @Test
  void everyTargetIsMarkedMetMissedOrNotMeasured() {
    Figures f = new Figures();
    f.put("sidecar.ready_ms.pod", 800);
    f.put("sidecar.ready_ms.free", 700);
    String md = ReportTable.render(Facts.parse(List.of()), f, 15);
    assertTrue(
        md.contains("| ready after process start, pod limits | 800.0 ms | <= 1000.0 ms | met |"),
        md);
    assertTrue(
        md.contains(
            "| ready after process start, one free core | 700.0 ms | <= 500.0 ms | **missed** |"),
        md);
    assertTrue(md.contains("| at rest: RSS | n/a | <= 64.0 MiB | not measured |"), md);
  }

  @Test
  void theWebhookFiguresAreRenderedWhateverTheirShape() {
    String md =
        WebhookFigures.render(
            new io.vertx.core.json.JsonObject()
                .put("admission", new io.vertx.core.json.JsonObject().put("p99_ms", 3.2))
                .put("rps", 1200));
    assertTrue(md.contains("| admission.p99_ms | 3.2 |"), md);
    assertTrue(md.contains("| rps | 1200 |"), md);
  }

  @Test
  void theHeaderNamesTheMachineThePodLimitsAndTheLoadOfEveryPhase() {
    Facts facts =
        Facts.parse(
            List.of(
                "machine.cpus=2",
                "pod.cpu_limit_m=1000",
                "pod.memory_limit_bytes=268435456",
                "load.start=1.00 2.00 3.00",
                "load.end=4.00 5.00 6.00"));
    String md = ReportTable.render(facts, new Figures(), 15);
    assertTrue(md.startsWith("Machine: 2 cores"), md);
    assertTrue(md.contains("pod limits: cpu 1000m"), md);
    assertTrue(md.contains("memory 256 MiB."), md);
    assertTrue(md.contains("by phase: start 1.00 2.00 3.00; end 4.00 5.00 6.00;"), md);
  }
}
