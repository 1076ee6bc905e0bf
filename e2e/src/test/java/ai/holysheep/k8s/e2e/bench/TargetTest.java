package ai.holysheep.k8s.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void aRelativeLimitIsTheOtherFigureOfTheSameRunPlusTheMargin() {
    Target t = new Target("5k", "sidecar.p99", true, "nginx.p99", 0.5, "ms");
    Figures f = new Figures();
    f.put("nginx.p99", 2.0);
    f.put("sidecar.p99", 2.5);
    assertEquals(2.5, t.limitIn(f), 1e-9);
    assertEquals(Target.Status.MET, t.judge(f));
    f.put("sidecar.p99", 2.6);
    assertEquals(Target.Status.MISSED, t.judge(f));
  }

  @Test
  void anAtLeastTargetIsMetFromTheLimitUp() {
    Target t = new Target("saturation", "ratio", false, null, 1.0, "x");
    Figures f = new Figures();
    f.put("ratio", 1.0);
    assertEquals(Target.Status.MET, t.judge(f));
    f.put("ratio", 0.99);
    assertEquals(Target.Status.MISSED, t.judge(f));
  }

  @Test
  void aFigureThatWasNotMeasuredIsNeitherMetNorMissed() {
    Figures f = new Figures();
    f.put("sidecar.p99", 1.0);
    assertEquals(
        Target.Status.NOT_MEASURED, new Target("x", "absent", true, null, 1, "ms").judge(f));
    assertEquals(
        Target.Status.NOT_MEASURED,
        new Target("x", "sidecar.p99", true, "nginx.absent", 1, "ms").judge(f));
  }

  @Test
  void everyTargetOfTheIssueJudgesAFigureTheBenchComputes() throws Exception {
    java.nio.file.Path raw = java.nio.file.Files.createTempDirectory("bench-raw");
    Figures computed = Figures.compute(raw, Facts.parse(java.util.List.of()), 15);
    for (Target t : Target.ISSUE_12) {
      boolean known =
          computed.all().containsKey(t.figure())
              || t.figure().startsWith("sidecar.first.0."); // present once the first minute ran
      assertEquals(true, known, t.figure() + " is not a figure Figures computes");
    }
  }
}
