package ai.holysheep.k8s.e2e.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link Simulator} listens and answers. Immutable; start from {@link #named(String)} and
 * adjust with the {@code with…} methods.
 *
 * @param name appears in the {@code x-sim-name} header and inside every completion text
 * @param host address to bind
 * @param port port to bind, 0 = ephemeral
 * @param tls PEM certificate and key for HTTPS, or null for plain HTTP
 * @param streamEvents content chunks in a streamed completion (the JSON answer joins the same text)
 * @param eventDelay pause before each stream event
 * @param maxRecorded requests kept by {@link Simulator#received()} (oldest dropped first); 0 keeps
 *     none but still counts them
 */
public record SimulatorOptions(
    String name,
    String host,
    int port,
    Tls tls,
    int streamEvents,
    Duration eventDelay,
    int maxRecorded) {

  public static final String DEFAULT_NAME = "sim";
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** 0 = ephemeral port chosen by the OS. */
  public static final int DEFAULT_PORT = 0;

  /** Content chunks per streamed completion. */
  public static final int DEFAULT_STREAM_EVENTS = 5;

  public static final int MAX_STREAM_EVENTS = 100_000;
  public static final Duration DEFAULT_EVENT_DELAY = Duration.ZERO;

  /** Recorded requests kept in memory (each holds at most a 64 KiB body). */
  public static final int DEFAULT_MAX_RECORDED = 10_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** PEM certificate chain and private key files. */
  public record Tls(String certPath, String keyPath) {
    public Tls {
      Objects.requireNonNull(certPath, "tls.certPath");
      Objects.requireNonNull(keyPath, "tls.keyPath");
    }
  }

  public SimulatorOptions {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: \"" + name + "\" is not allowed; use 1-64 letters, digits, '.', '_' or '-'");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: must not be empty, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " is not a port; use 0-65535");
    }
    if (streamEvents < 1 || streamEvents > MAX_STREAM_EVENTS) {
      throw new IllegalArgumentException(
          "streamEvents: " + streamEvents + " is out of range; use 1-" + MAX_STREAM_EVENTS);
    }
    if (eventDelay == null || eventDelay.isNegative()) {
      throw new IllegalArgumentException(
          "eventDelay: " + eventDelay + " is not allowed; use zero or a positive duration");
    }
    if (maxRecorded < 0) {
      throw new IllegalArgumentException(
          "maxRecorded: " + maxRecorded + " is negative; use 0 or more");
    }
  }

  /** Defaults (127.0.0.1, ephemeral port, plain HTTP, 5 events, no delay) with this name. */
  public static SimulatorOptions named(String name) {
    return new SimulatorOptions(
        name,
        DEFAULT_HOST,
        DEFAULT_PORT,
        null,
        DEFAULT_STREAM_EVENTS,
        DEFAULT_EVENT_DELAY,
        DEFAULT_MAX_RECORDED);
  }

  public static SimulatorOptions defaults() {
    return named(DEFAULT_NAME);
  }

  public SimulatorOptions withName(String value) {
    return new SimulatorOptions(value, host, port, tls, streamEvents, eventDelay, maxRecorded);
  }

  public SimulatorOptions withHost(String value) {
    return new SimulatorOptions(name, value, port, tls, streamEvents, eventDelay, maxRecorded);
  }

  public SimulatorOptions withPort(int value) {
    return new SimulatorOptions(name, host, value, tls, streamEvents, eventDelay, maxRecorded);
  }

  public SimulatorOptions withTls(String certPath, String keyPath) {
    Tls value = new Tls(certPath, keyPath);
    return new SimulatorOptions(name, host, port, value, streamEvents, eventDelay, maxRecorded);
  }

  public SimulatorOptions withTls(Path certPath, Path keyPath) {
    return withTls(certPath.toString(), keyPath.toString());
  }

  public SimulatorOptions withStreamEvents(int value) {
    return new SimulatorOptions(name, host, port, tls, value, eventDelay, maxRecorded);
  }

  public SimulatorOptions withEventDelay(Duration value) {
    return new SimulatorOptions(name, host, port, tls, streamEvents, value, maxRecorded);
  }

  public SimulatorOptions withMaxRecorded(int value) {
    return new SimulatorOptions(name, host, port, tls, streamEvents, eventDelay, value);
  }
}
