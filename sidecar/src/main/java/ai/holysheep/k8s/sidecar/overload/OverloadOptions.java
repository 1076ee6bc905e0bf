package ai.holysheep.k8s.sidecar.overload;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The sidecar's front-door bounds: how many proxy exchanges may be in flight and how many app
 * connections may be open before new work is shed with {@code 503 sidecar_overloaded}.
 *
 * <p>Why these defaults (sidecar/README "Decisions"; measured by OverloadProcessIT with the pod's
 * JVM flags): at rest the sidecar is ~96 MiB resident; an app connection adds 5-18 KiB, a request
 * waiting with a 16 KiB prompt 26-50 KiB (its body held for replay, its upstream request). With
 * 1,536 requests and 2,048 connections a pile-up of 13,500 connections peaked at 229 MiB, under the
 * 256 Mi limit; with 2,048 and 4,096 it ended in {@code OutOfMemoryError: Java heap space}. 1,536
 * holds issue 12's 1,000 open streams and UpstreamPoolIT's 1,100 with room for other requests.
 *
 * @param maxInFlight exchanges from a request's head to the last byte of its answer, streams
 *     included
 * @param maxConnections app connections open at once on the proxy listeners
 * @param retryAfter what a shed answer's {@code Retry-After} asks the app to wait
 * @param excessConnectionGrace how long a connection beyond the bound may stay open without sending
 *     a request before the sidecar closes it
 */
public record OverloadOptions(
    int maxInFlight, int maxConnections, Duration retryAfter, Duration excessConnectionGrace) {

  /** Exchanges in flight at once (count); beyond it a request gets 503 at once. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1536;

  /** App connections open at once (count); beyond it a connection is answered 503 and closed. */
  public static final int DEFAULT_MAX_CONNECTIONS = 2048;

  /** {@code Retry-After} of a shed answer (whole seconds are sent). */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** How long a connection beyond the bound may stay silent before it is closed. */
  public static final Duration DEFAULT_EXCESS_CONNECTION_GRACE = Duration.ofSeconds(2);

  /** Env var overriding {@link #DEFAULT_MAX_IN_FLIGHT}. */
  public static final String MAX_IN_FLIGHT_ENV = "HOLYSHEEP_MAX_IN_FLIGHT";

  /** Env var overriding {@link #DEFAULT_MAX_CONNECTIONS}. */
  public static final String MAX_CONNECTIONS_ENV = "HOLYSHEEP_MAX_APP_CONNECTIONS";

  /** Largest value either bound accepts (count). */
  public static final int MAX_BOUND = 1_000_000;

  public OverloadOptions {
    requireBound("maxInFlight", maxInFlight);
    requireBound("maxConnections", maxConnections);
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(excessConnectionGrace, "excessConnectionGrace");
    if (retryAfter.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "retryAfter: " + retryAfter + " is shorter than the 1 s a Retry-After can say");
    }
    if (excessConnectionGrace.isNegative() || excessConnectionGrace.isZero()) {
      throw new IllegalArgumentException(
          "excessConnectionGrace: " + excessConnectionGrace + " must be positive");
    }
  }

  public static OverloadOptions defaults() {
    return new OverloadOptions(
        DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_RETRY_AFTER,
        DEFAULT_EXCESS_CONNECTION_GRACE);
  }

  /** The defaults, with the bounds the env vars set; a bad value names the variable. */
  public static OverloadOptions fromEnv(Map<String, String> env) {
    return new OverloadOptions(
        bound(env, MAX_IN_FLIGHT_ENV, DEFAULT_MAX_IN_FLIGHT),
        bound(env, MAX_CONNECTIONS_ENV, DEFAULT_MAX_CONNECTIONS),
        DEFAULT_RETRY_AFTER,
        DEFAULT_EXCESS_CONNECTION_GRACE);
  }

  public OverloadOptions withMaxInFlight(int value) {
    return new OverloadOptions(value, maxConnections, retryAfter, excessConnectionGrace);
  }

  public OverloadOptions withMaxConnections(int value) {
    return new OverloadOptions(maxInFlight, value, retryAfter, excessConnectionGrace);
  }

  private static int bound(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 1 && parsed <= MAX_BOUND) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + ": \"" + value + "\" is not allowed; allowed: a whole number 1-" + MAX_BOUND);
  }

  private static void requireBound(String field, int value) {
    if (value < 1 || value > MAX_BOUND) {
      throw new IllegalArgumentException(
          field + ": " + value + " is out of range; allowed 1-" + MAX_BOUND);
    }
  }
}
