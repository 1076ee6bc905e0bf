package ai.holysheep.k8s.e2e.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code make soak}: {@code java -cp holysheep-simulator.jar ai.holysheep.k8s.e2e.soak.SoakMain
 * [--rate N] [--minutes N] [--out DIR]}. Prints progress every sample and the Markdown report;
 * exits 0 when no series grows, 1 when one does (or the sidecar died), 2 on bad arguments.
 */
public final class SoakMain {
  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    SoakOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.println(
          "usage: SoakMain [--rate N] [--minutes N] [--out DIR] [--sidecar-jar F] [--simulator-jar F]");
      System.exit(2);
      return;
    }
    SoakReport report = SoakRun.run(options);
    System.out.println(Files.readString(options.outDir().resolve("soak.md")));
    System.out.println("soak: report in " + options.outDir().toAbsolutePath());
    System.exit(report.passed() ? 0 : 1);
  }

  static SoakOptions parse(String[] args) {
    SoakOptions options = SoakOptions.defaults();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + ": missing value");
      }
      String value = args[i + 1];
      switch (flag) {
        case "--rate" ->
            options =
                options.with(
                    whole(flag, value),
                    options.duration(),
                    options.sampleEvery(),
                    options.faultEvery(),
                    options.warmupSamples());
        case "--minutes" ->
            options =
                options.with(
                    options.ratePerSecond(),
                    Duration.ofMinutes(whole(flag, value)),
                    options.sampleEvery(),
                    options.faultEvery(),
                    options.warmupSamples());
        case "--out" -> options = options.withOutDir(Path.of(value));
        case "--sidecar-jar" -> options = options.withJars(Path.of(value), options.simulatorJar());
        case "--simulator-jar" -> options = options.withJars(options.sidecarJar(), Path.of(value));
        default -> throw new IllegalArgumentException(flag + ": unknown flag");
      }
    }
    return options;
  }

  private static int whole(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": \"" + value + "\" is not a whole number");
    }
  }
}
