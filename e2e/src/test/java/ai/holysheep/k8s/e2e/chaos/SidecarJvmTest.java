package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarJvmTest {
  @Test
  void takesTheImagesJvmOptionsWithoutCommentsTheAotCacheOrTheJar() {
    List<String> lines =
        List.of(
            "# the sidecar's JVM command line",
            "-XX:+UseSerialGC",
            "-XX:MaxRAMPercentage=60",
            "",
            "-XX:AOTCache=/app/holysheep-sidecar.aot",
            "-jar",
            "/app/holysheep-sidecar.jar");
    assertEquals(
        List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60"), SidecarJvm.imageFlags(lines));
  }

  @Test
  void theRealArgumentFileGivesTheHeapItsMaxRamPercentageOfTheLimit() throws Exception {
    Path args = Path.of("..", "sidecar", "image", "holysheep-sidecar.args");
    List<String> flags = SidecarJvm.imageFlags(Files.readAllLines(args));
    assertEquals(
        true,
        flags.stream().anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")),
        flags.toString());
    assertEquals(
        false,
        flags.stream().anyMatch(f -> f.contains(".jar") || f.contains("AOTCache")),
        flags.toString());
  }
}
