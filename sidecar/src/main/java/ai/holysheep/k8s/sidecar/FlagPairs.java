package ai.holysheep.k8s.sidecar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Command-line flags as {@code --flag value} or {@code --flag=value} pairs, in order. */
public final class FlagPairs {
  private FlagPairs() {}

  /**
   * @throws IllegalArgumentException naming the flag that has no value, followed by {@code usage}
   */
  public static List<Map.Entry<String, String>> parse(String[] args, String usage) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        pairs.add(Map.entry(flag.substring(0, eq), flag.substring(eq + 1)));
      } else if (i + 1 < args.length) {
        pairs.add(Map.entry(flag, args[++i]));
      } else {
        throw new IllegalArgumentException(flag + ": missing value" + usage);
      }
    }
    return pairs;
  }
}
