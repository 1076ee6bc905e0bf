package ai.holysheep.k8s.e2e.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code make chaos}: {@code java -cp holysheep-simulator.jar ai.holysheep.k8s.e2e.chaos.ChaosMain
 * [--profile full|subset] [--rate N] [--faults A,B,…] [--out DIR] [--sidecar-jar F]
 * [--simulator-jar F]}. Prints the Markdown report; exits 0 when every expectation held, 1 when
 * some did not (the report says which), 2 on bad arguments.
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    ChaosOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.println(
          "usage: ChaosMain [--profile full|subset] [--rate N] [--faults "
              + String.join(",", names())
              + "] [--out DIR] [--sidecar-jar F] [--simulator-jar F]");
      System.exit(2);
      return;
    }
    ChaosReport report = ChaosRun.run(options);
    System.out.println(java.nio.file.Files.readString(options.outDir().resolve("report.md")));
    System.out.println("chaos: report in " + options.outDir().toAbsolutePath());
    System.exit(report.passed() ? 0 : 1);
  }

  static ChaosOptions parse(String[] args) {
    ChaosOptions options = ChaosOptions.full();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + ": missing value");
      }
      String value = args[i + 1];
      switch (flag) {
        case "--profile" ->
            options =
                switch (value) {
                  case "full" -> ChaosOptions.full().withOutDir(options.outDir());
                  case "subset" -> ChaosOptions.subset(options.outDir());
                  default ->
                      throw new IllegalArgumentException(
                          "--profile: \"" + value + "\"; allowed: full, subset");
                };
        case "--rate" -> options = options.withRate(Integer.parseInt(value));
        case "--faults" -> options = options.withSchedule(schedule(value, options));
        case "--out" -> options = options.withOutDir(Path.of(value));
        case "--sidecar-jar" -> options = options.withJars(Path.of(value), options.simulatorJar());
        case "--simulator-jar" -> options = options.withJars(options.sidecarJar(), Path.of(value));
        default -> throw new IllegalArgumentException(flag + ": unknown flag");
      }
    }
    return options;
  }

  private static List<Phase> schedule(String list, ChaosOptions options) {
    List<Phase> phases = new ArrayList<>();
    java.time.Duration hold =
        options.schedule().isEmpty() ? ChaosOptions.FULL_HOLD : options.schedule().get(0).hold();
    for (String name : list.split(",")) {
      try {
        phases.add(new Phase(ChaosFault.valueOf(name.trim().toUpperCase(Locale.ROOT)), hold));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--faults: \"" + name + "\"; allowed: " + String.join(", ", names()));
      }
    }
    return phases;
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>();
    for (ChaosFault f : ChaosFault.values()) {
      names.add(f.name());
    }
    return names;
  }
}
