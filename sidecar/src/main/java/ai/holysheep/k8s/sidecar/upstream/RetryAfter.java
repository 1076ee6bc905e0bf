package ai.holysheep.k8s.sidecar.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses rate-limit hints: {@code retry-after-ms}, {@code Retry-After} seconds or HTTP date. */
public final class RetryAfter {
  /** Hints above this are capped: a broken upstream must not park traffic for hours. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  private RetryAfter() {}

  /** The wait the upstream asked for, or {@code null} when the headers hold none that parses. */
  public static Duration parse(String retryAfterMs, String retryAfter, Instant now) {
    Duration result = parseMillis(retryAfterMs);
    if (result == null) {
      result = parseRetryAfter(retryAfter, now);
    }
    if (result == null) {
      return null;
    }
    if (result.isNegative()) {
      return Duration.ZERO;
    }
    return result.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : result;
  }

  private static Duration parseMillis(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      double millis = Double.parseDouble(text.trim());
      return Double.isFinite(millis) ? Duration.ofNanos((long) (millis * 1_000_000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration parseRetryAfter(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.trim();
    try {
      double seconds = Double.parseDouble(value);
      return Double.isFinite(seconds) ? Duration.ofMillis((long) (seconds * 1000)) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Duration.between(now, at);
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /** Whole seconds for a {@code Retry-After} answer header, rounded up, at least 1. */
  public static long toHeaderSeconds(Duration wait) {
    long seconds = (wait.toMillis() + 999) / 1000;
    return Math.max(1, seconds);
  }
}
