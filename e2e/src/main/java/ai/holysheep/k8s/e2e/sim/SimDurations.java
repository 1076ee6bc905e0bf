package ai.holysheep.k8s.e2e.sim;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats the short duration strings the simulator accepts: 250ms, 2s, 1m, or ms. */
public final class SimDurations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private SimDurations() {}

  /**
   * Parses {@code text} ("250ms", "2s", "1m", "1h", or a bare number of milliseconds).
   *
   * @throws IllegalArgumentException naming {@code field}, the value and the accepted forms
   */
  public static Duration parse(String field, String text) {
    Matcher m = text == null ? null : DURATION.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          field
              + ": \""
              + text
              + "\" is not a duration; use a whole number with ms, s, m or h, e.g. 250ms, 2s");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /**
   * Formats as whole milliseconds, e.g. "250ms"; parse(format(d)) == d at millisecond precision.
   */
  public static String format(Duration duration) {
    return duration.toMillis() + "ms";
  }
}
