package ai.holysheep.k8s.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the spec writes them: a number and a unit, {@code 250ms}, {@code 30s}, {@code 10m},
 * {@code 1h}.
 */
public final class Durations {
  static final String ALLOWED = "use a number with ms, s, m or h, e.g. 250ms, 30s, 10m";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,9})?)(ms|s|m|h)");
  private static final long MILLIS_PER_HOUR = 3_600_000;
  private static final long MILLIS_PER_MINUTE = 60_000;
  private static final long MILLIS_PER_SECOND = 1_000;

  private Durations() {}

  /**
   * Parses {@code text}; {@code field} names the field in the error.
   *
   * @throws ConfigException when the text is not a number with a unit or is finer than a
   *     millisecond
   */
  public static Duration parse(String field, String text) {
    Matcher m = text == null ? null : DURATION.matcher(text);
    if (m == null || !m.matches()) {
      throw new ConfigException(
          Problems.displayPath(field)
              + ": "
              + (text == null ? "null" : Problems.quote(text))
              + " is not a duration; "
              + ALLOWED);
    }
    BigDecimal millis =
        new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitMillis(m.group(2))));
    try {
      return Duration.ofMillis(millis.longValueExact());
    } catch (ArithmeticException e) {
      throw new ConfigException(
          Problems.displayPath(field)
              + ": "
              + Problems.quote(text)
              + " is finer than a millisecond; "
              + ALLOWED);
    }
  }

  /**
   * The shortest spelling in the largest unit that divides it exactly ({@code 600s} becomes {@code
   * 10m}); {@link #parse} reads it back. Sub-millisecond parts round up so nothing positive becomes
   * zero.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative durations have no spelling: " + duration);
    }
    long millis = duration.toMillis() + (duration.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
    if (millis == 0) {
      return "0s";
    }
    if (millis % MILLIS_PER_HOUR == 0) {
      return millis / MILLIS_PER_HOUR + "h";
    }
    if (millis % MILLIS_PER_MINUTE == 0) {
      return millis / MILLIS_PER_MINUTE + "m";
    }
    if (millis % MILLIS_PER_SECOND == 0) {
      return millis / MILLIS_PER_SECOND + "s";
    }
    return millis + "ms";
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "h" -> MILLIS_PER_HOUR;
      case "m" -> MILLIS_PER_MINUTE;
      case "s" -> MILLIS_PER_SECOND;
      default -> 1;
    };
  }
}
