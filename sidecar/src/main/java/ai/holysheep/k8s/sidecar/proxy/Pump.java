package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.metrics.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Moves bytes of a committed answer from the upstream to the app with back-pressure, and keeps its
 * two clocks: the idle limit (silence of the upstream; time in which the app is not reading does
 * not count, because the upstream is paused then) and the request's {@code responseTimeout}.
 */
final class Pump {
  private final ProxyExchange exchange;
  private final HttpClientResponse upstream;
  private final HttpServerResponse app;
  private final long idleNanos;
  private final Runnable onIdle;
  private final Runnable onDeadline;
  private long lastActivityNanos;
  private boolean waitingForApp;
  private boolean stopped;
  private long idleTimer = -1;
  private long deadlineTimer = -1;

  Pump(
      ProxyExchange exchange,
      HttpClientResponse upstream,
      long idleNanos,
      Runnable onIdle,
      Runnable onDeadline) {
    this.exchange = exchange;
    this.upstream = upstream;
    this.app = exchange.response;
    this.idleNanos = idleNanos;
    this.onIdle = onIdle;
    this.onDeadline = onDeadline;
  }

  /** Starts both clocks. */
  void begin() {
    lastActivityNanos = System.nanoTime();
    scheduleIdleCheck(idleNanos);
    deadlineTimer =
        exchange
            .context
            .vertx()
            .setTimer(Math.max(1, exchange.remainingMillis()), id -> deadline());
  }

  /** The upstream sent something. */
  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  /** Writes to the app; pauses the upstream while the app's queue is full. */
  void write(Buffer bytes) {
    app.write(bytes);
    if (!waitingForApp && app.writeQueueFull()) {
      waitingForApp = true;
      upstream.pause();
      app.drainHandler(
          v -> {
            waitingForApp = false;
            lastActivityNanos = System.nanoTime();
            if (!stopped) {
              upstream.resume();
            }
          });
    }
  }

  /** The app left: stop, cancel the upstream call, count what was used, record the request. */
  void appGone(Attempt attempt, Usage usage) {
    stop();
    attempt.resetUpstream();
    countTokens(attempt, usage);
    exchange.onRelayEnded(attempt, 499, "cancelled");
  }

  /** Counts the answer's tokens, when it had a usage. */
  void countTokens(Attempt attempt, Usage usage) {
    if (usage != null) {
      exchange.context.metrics().tokens(attempt.upstream, usage);
    }
  }

  void stop() {
    stopped = true;
    if (idleTimer >= 0) {
      exchange.context.vertx().cancelTimer(idleTimer);
    }
    if (deadlineTimer >= 0) {
      exchange.context.vertx().cancelTimer(deadlineTimer);
    }
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleTimer =
        exchange.context.vertx().setTimer(Math.max(1, delayNanos / 1_000_000), id -> idleCheck());
  }

  private void idleCheck() {
    if (stopped) {
      return;
    }
    if (waitingForApp) {
      scheduleIdleCheck(idleNanos);
      return;
    }
    long idleFor = System.nanoTime() - lastActivityNanos;
    if (idleFor >= idleNanos) {
      onIdle.run();
    } else {
      scheduleIdleCheck(idleNanos - idleFor);
    }
  }

  private void deadline() {
    if (!stopped) {
      onDeadline.run();
    }
  }
}
