package ai.holysheep.k8s.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as Kubernetes writes them: {@code 1048576}, {@code 512Ki}, {@code 16Mi}, {@code 1Gi}.
 */
public final class Sizes {
  static final String ALLOWED =
      "use a number of bytes or a number with Ki, Mi or Gi, e.g. 512Ki, 16Mi";

  private static final Pattern SIZE = Pattern.compile("(\\d{1,18})(Ki|Mi|Gi)?");
  private static final long KI = 1024;
  private static final long MI = KI * KI;
  private static final long GI = MI * KI;

  private Sizes() {}

  /**
   * Parses {@code text} to bytes; {@code field} names the field in the error.
   *
   * @throws ConfigException when the text is not a whole number with an optional binary unit
   */
  public static long parse(String field, String text) {
    Matcher m = text == null ? null : SIZE.matcher(text);
    if (m == null || !m.matches()) {
      throw notASize(field, text);
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unitBytes(m.group(2)));
    } catch (ArithmeticException e) {
      throw notASize(field, text);
    }
  }

  /** The largest binary unit that divides {@code bytes} exactly, else plain bytes. */
  public static String format(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative sizes have no spelling: " + bytes);
    }
    if (bytes != 0 && bytes % GI == 0) {
      return bytes / GI + "Gi";
    }
    if (bytes != 0 && bytes % MI == 0) {
      return bytes / MI + "Mi";
    }
    if (bytes != 0 && bytes % KI == 0) {
      return bytes / KI + "Ki";
    }
    return Long.toString(bytes);
  }

  private static ConfigException notASize(String field, String text) {
    return new ConfigException(
        Problems.displayPath(field)
            + ": "
            + (text == null ? "null" : Problems.quote(text))
            + " is not a size; "
            + ALLOWED);
  }

  private static long unitBytes(String unit) {
    if (unit == null) {
      return 1;
    }
    return switch (unit) {
      case "Ki" -> KI;
      case "Mi" -> MI;
      default -> GI;
    };
  }
}
