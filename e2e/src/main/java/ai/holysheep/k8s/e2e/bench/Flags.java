package ai.holysheep.k8s.e2e.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of the bench tools; a missing required flag names itself. */
final class Flags {
  private Flags() {}

  static Map<String, String> parse(String[] args, String usage, String... required) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + ": expected --flag value; " + usage);
      }
      values.put(args[i], args[++i]);
    }
    for (String flag : required) {
      if (!values.containsKey(flag)) {
        throw new IllegalArgumentException(flag + ": missing; " + usage);
      }
    }
    return values;
  }
}
