package ai.holysheep.k8s.e2e.soak;

import ai.holysheep.k8s.e2e.chaos.HarnessCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code make soak}: {@code java -cp holysheep-simulator.jar ai.holysheep.k8s.e2e.soak.SoakMain
 * [--rate N] [--minutes N] [--out DIR]}. Prints progress every sample and the Markdown report;
 * exits 0 when no series grows, 1 when one does (or the sidecar died), 2 on bad arguments.
 */
public final class SoakMain {
  static final String USAGE =
      "SoakMain [--rate N] [--minutes N] [--out DIR] [--sidecar-jar F] [--simulator-jar F]";

  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    SoakOptions options = HarnessCli.parse("soak", USAGE, args, SoakOptions.defaults(), flags());
    SoakReport report = SoakRun.run(options);
    HarnessCli.finish("soak", options.outDir().resolve("soak.md"), report.passed());
  }

  static Map<String, BiFunction<SoakOptions, String, SoakOptions>> flags() {
    Map<String, BiFunction<SoakOptions, String, SoakOptions>> flags = new LinkedHashMap<>();
    flags.put("--rate", (o, v) -> o.withRate(HarnessCli.whole("--rate", v)));
    flags.put(
        "--minutes",
        (o, v) -> o.withDuration(Duration.ofMinutes(HarnessCli.whole("--minutes", v))));
    flags.put("--out", (o, v) -> o.withOutDir(Path.of(v)));
    flags.put("--sidecar-jar", (o, v) -> o.withJars(Path.of(v), o.simulatorJar()));
    flags.put("--simulator-jar", (o, v) -> o.withJars(o.sidecarJar(), Path.of(v)));
    return flags;
  }
}
