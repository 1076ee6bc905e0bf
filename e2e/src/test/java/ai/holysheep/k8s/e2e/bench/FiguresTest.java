package ai.holysheep.k8s.e2e.bench;

import static ai.holysheep.k8s.e2e.bench.LatencySamplesTest.HEADER;
import static ai.holysheep.k8s.e2e.bench.LatencySamplesTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {
  @TempDir Path raw;

  /** 100 answers a second for `seconds`, the first second at `slowMs`, the rest at `fastMs`. */
  static List<String> run(int seconds, double slowMs, double fastMs) {
    List<String> lines = new ArrayList<>(List.of(HEADER));
    for (int i = 0; i < seconds * 100; i++) {
      lines.add(line(i < 100 ? slowMs : fastMs, 200, i / 100.0));
    }
    return lines;
  }

  @Test
  void addedLatencyIsTheProxyLessTheDirectCallInTheSameWindow() throws Exception {
    Files.write(raw.resolve("first-sidecar.csv"), run(30, 50, 3));
    Files.write(raw.resolve("first-sidecar-direct.csv"), run(30, 10, 1));
    Figures f = Figures.compute(raw, Facts.parse(List.of()), 15);
    // window 0: p99 of (100 x 50 ms, 1400 x 3 ms) is 50 ms; direct: 10 ms
    assertEquals(40.0, f.get("sidecar.first.0.added_p99_ms"), 1e-6);
    assertEquals(2.0, f.get("sidecar.first.0.added_p50_ms"), 1e-6);
    assertEquals(2.0, f.get("sidecar.first.1.added_p99_ms"), 1e-6);
    assertTrue(Double.isNaN(f.get("sidecar.first.2.added_p99_ms")));
  }

  @Test
  void memoryFiguresAreMibAndStreamsAddWhatTheyAddOverRestAfterLoad() throws Exception {
    Facts facts =
        Facts.parse(
            List.of(
                "sidecar.rest.1.rss_kib=65536",
                "sidecar.rest.1.working_set_bytes=50331648",
                "sidecar.rest_after_load.working_set_bytes=62914560",
                "sidecar.streams.working_set_bytes=104857600",
                "sidecar.saturation.rps=900",
                "nginx.saturation.rps=1000"));
    Figures f = Figures.compute(raw, facts, 15);
    assertEquals(64.0, f.get("sidecar.rest.rss_mib"), 1e-9);
    assertEquals(48.0, f.get("sidecar.rest.working_set_mib"), 1e-9);
    assertEquals(40.0, f.get("sidecar.streams.added_working_set_mib"), 1e-9);
    assertEquals(0.9, f.get("sidecar.saturation_vs_nginx"), 1e-9);
  }
}
