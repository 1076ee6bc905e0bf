package ai.holysheep.k8s.e2e.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code make chaos}: {@code java -cp holysheep-simulator.jar ai.holysheep.k8s.e2e.chaos.ChaosMain
 * [--profile full|subset] [--rate N] [--faults A,B,…] [--out DIR] [--sidecar-jar F]
 * [--simulator-jar F]}. Prints the Markdown report; exits 0 when every expectation held, 1 when
 * some did not (the report says which), 2 on bad arguments.
 */
public final class ChaosMain {
  static final String USAGE =
      "ChaosMain [--profile full|subset] [--rate N] [--faults NAME,…] [--out DIR] [--sidecar-jar F]"
          + " [--simulator-jar F]";

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    ChaosOptions options = HarnessCli.parse("chaos", USAGE, args, ChaosOptions.full(), flags());
    ChaosReport report = ChaosRun.run(options);
    HarnessCli.finish("chaos", options.outDir().resolve("report.md"), report.passed());
  }

  static Map<String, BiFunction<ChaosOptions, String, ChaosOptions>> flags() {
    Map<String, BiFunction<ChaosOptions, String, ChaosOptions>> flags = new LinkedHashMap<>();
    flags.put("--profile", ChaosMain::profile);
    flags.put("--rate", (o, v) -> o.withRate(HarnessCli.whole("--rate", v)));
    flags.put("--faults", (o, v) -> o.withSchedule(schedule(v, o)));
    flags.put("--out", (o, v) -> o.withOutDir(Path.of(v)));
    flags.put("--sidecar-jar", (o, v) -> o.withJars(Path.of(v), o.simulatorJar()));
    flags.put("--simulator-jar", (o, v) -> o.withJars(o.sidecarJar(), Path.of(v)));
    return flags;
  }

  private static ChaosOptions profile(ChaosOptions options, String value) {
    return switch (value) {
      case "full" -> ChaosOptions.full().withOutDir(options.outDir());
      case "subset" -> ChaosOptions.subset(options.outDir());
      default ->
          throw new IllegalArgumentException("--profile: \"" + value + "\"; allowed: full, subset");
    };
  }

  private static List<Phase> schedule(String list, ChaosOptions options) {
    List<Phase> phases = new ArrayList<>();
    java.time.Duration hold =
        options.schedule().isEmpty() ? ChaosOptions.FULL_HOLD : options.schedule().get(0).hold();
    for (String name : list.split(",")) {
      try {
        phases.add(new Phase(ChaosFault.valueOf(name.trim().toUpperCase(Locale.ROOT)), hold));
      } catch (IllegalArgumentException e) {
        List<String> names = new ArrayList<>();
        for (ChaosFault f : ChaosFault.values()) {
          names.add(f.name());
        }
        throw new IllegalArgumentException(
            "--faults: \"" + name + "\"; allowed: " + String.join(", ", names));
      }
    }
    return phases;
  }
}
