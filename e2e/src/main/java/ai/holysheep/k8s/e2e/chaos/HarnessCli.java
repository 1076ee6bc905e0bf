package ai.holysheep.k8s.e2e.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The command-line shape {@code make chaos} and {@code make soak} share: {@code --flag value} pairs
 * applied in order to an options value, exit 2 with the usage on a bad flag, and at the end the
 * Markdown report printed and exit 0 (every expectation held) or 1.
 */
public final class HarnessCli {
  private HarnessCli() {}

  /** Applies each {@code --flag value} pair through {@code flags}; exits 2 on a bad one. */
  public static <O> O parse(
      String name,
      String usage,
      String[] args,
      O options,
      Map<String, BiFunction<O, String, O>> flags) {
    try {
      for (int i = 0; i < args.length; i += 2) {
        BiFunction<O, String, O> flag = flags.get(args[i]);
        if (flag == null) {
          throw new IllegalArgumentException(
              args[i] + ": unknown flag; allowed: " + String.join(", ", flags.keySet()));
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + ": missing value");
        }
        options = flag.apply(options, args[i + 1]);
      }
      return options;
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": " + e.getMessage());
      System.err.println("usage: " + usage);
      System.exit(2);
      return null;
    }
  }

  /** Prints the report and exits with the run's verdict. */
  public static void finish(String name, Path report, boolean passed) throws java.io.IOException {
    System.out.println(Files.readString(report));
    System.out.println(name + ": report in " + report.toAbsolutePath());
    System.exit(passed ? 0 : 1);
  }

  /** A whole number for {@code flag}, or an error naming the flag and the value. */
  public static int whole(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": \"" + value + "\" is not a whole number");
    }
  }
}
