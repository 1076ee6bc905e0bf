package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.metrics.Usage;
import ai.holysheep.k8s.sidecar.stream.SseEvent;
import ai.holysheep.k8s.sidecar.stream.SseEventSplitter;
import ai.holysheep.k8s.sidecar.stream.StreamErrorEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * The SSE commit gate and relay. Before the first {@code data:} event that is not an error object
 * nothing reaches the app, so a failure fails over invisibly. After it, each complete event is
 * forwarded as it arrives; a failure or a stall past {@code streamIdleTimeout} ends the stream with
 * the error event (never a silent truncation, never {@code [DONE]}).
 */
final class StreamRelay {
  private final Attempt attempt;
  private final ProxyExchange exchange;
  private final HttpClientResponse upstreamResponse;
  private final HttpServerResponse appResponse;
  private final SseEventSplitter splitter;
  private final long idleNanos;
  private Buffer held;
  private boolean committed;
  private boolean ended;
  private long lastEventNanos;
  private long idleTimer = -1;
  private long deadlineTimer = -1;

  StreamRelay(Attempt attempt, HttpClientResponse upstreamResponse) {
    this.attempt = attempt;
    this.exchange = attempt.exchange;
    this.upstreamResponse = upstreamResponse;
    this.appResponse = exchange.response;
    this.splitter = new SseEventSplitter(this::onEvent);
    this.idleNanos = exchange.context.config().streamIdleTimeout().toNanos();
  }

  void start() {
    upstreamResponse.handler(this::onChunk);
    upstreamResponse.endHandler(v -> onUpstreamEnd());
    upstreamResponse.exceptionHandler(this::onUpstreamError);
  }

  private void onChunk(Buffer chunk) {
    if (ended || attempt.isDone() && !committed) {
      return;
    }
    if (!splitter.feed(chunk)) {
      failBeforeOrAfterCommit(FailureKind.STREAM_ERROR, StreamErrorEvent.CODE_INTERRUPTED);
    }
  }

  private void onEvent(SseEvent event) {
    if (ended) {
      return;
    }
    if (!committed) {
      gate(event);
      return;
    }
    lastEventNanos = System.nanoTime();
    countUsage(event);
    appResponse.write(event.raw());
    applyBackpressure();
  }

  private void gate(SseEvent event) {
    if (!event.hasData()) {
      held = held == null ? event.raw().copy() : held.appendBuffer(event.raw());
      return;
    }
    if (event.errorObject()) {
      ended = true;
      attempt.fail(FailureKind.STREAM_ERROR, null);
      return;
    }
    attempt.cancelFirstByteTimer();
    if (!exchange.commitStream(attempt, upstreamResponse)) {
      ended = true;
      attempt.cancel(null);
      return;
    }
    committed = true;
    attempt.markDone();
    exchange
        .context
        .metrics()
        .timeToFirstByte(attempt.upstream.name(), System.nanoTime() - exchange.startNanos);
    exchange.onAppGoneAfterCommit(this::onAppGone);
    if (held != null) {
      appResponse.write(held);
      held = null;
    }
    countUsage(event);
    appResponse.write(event.raw());
    lastEventNanos = System.nanoTime();
    scheduleIdleCheck(idleNanos);
    long remaining = exchange.remainingMillis();
    deadlineTimer = exchange.context.vertx().setTimer(Math.max(1, remaining), id -> onDeadline());
    applyBackpressure();
  }

  private void countUsage(SseEvent event) {
    if (event.hasData() && Usage.mayContainUsage(event.raw(), event.dataStart(), event.dataEnd())) {
      byte[] bytes = event.raw().getBytes(event.dataStart(), event.dataEnd());
      Usage usage = Usage.parse(bytes, 0, bytes.length);
      if (usage != null) {
        exchange.context.metrics().tokens(attempt.upstream, usage);
      }
    }
  }

  private void applyBackpressure() {
    if (appResponse.writeQueueFull()) {
      upstreamResponse.pause();
      appResponse.drainHandler(v -> upstreamResponse.resume());
    }
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleTimer =
        exchange.context.vertx().setTimer(Math.max(1, delayNanos / 1_000_000), id -> onIdleCheck());
  }

  private void onIdleCheck() {
    if (ended) {
      return;
    }
    long idleFor = System.nanoTime() - lastEventNanos;
    if (idleFor >= idleNanos) {
      endWithError(
          "the upstream stream stalled longer than streamIdleTimeout",
          StreamErrorEvent.CODE_IDLE,
          FailureKind.TIMEOUT);
    } else {
      scheduleIdleCheck(idleNanos - idleFor);
    }
  }

  private void onDeadline() {
    if (!ended) {
      endWithError("the stream exceeded responseTimeout", StreamErrorEvent.CODE_DEADLINE, null);
    }
  }

  private void onUpstreamEnd() {
    if (ended) {
      return;
    }
    if (!committed) {
      ended = true;
      attempt.fail(FailureKind.STREAM_ERROR, null);
      return;
    }
    ended = true;
    cancelTimers();
    appResponse.end();
    attempt.settle(200);
    exchange.onRelayEnded(attempt, 200, "success");
  }

  private void onUpstreamError(Throwable failure) {
    failBeforeOrAfterCommit(Classifier.ofException(failure), StreamErrorEvent.CODE_INTERRUPTED);
  }

  private void failBeforeOrAfterCommit(FailureKind kind, String code) {
    if (ended) {
      return;
    }
    if (!committed) {
      ended = true;
      attempt.fail(kind, null);
      return;
    }
    endWithError("the upstream stream was interrupted", code, kind);
  }

  private void endWithError(String message, String code, FailureKind kind) {
    ended = true;
    cancelTimers();
    if (attempt.request() != null) {
      attempt.request().reset();
    }
    if (!appResponse.closed() && !appResponse.ended()) {
      appResponse.end(StreamErrorEvent.of(message, code));
    }
    if (kind == null) {
      attempt.settle(null);
    } else {
      attempt.settleFailure(kind);
    }
    exchange.onRelayEnded(attempt, 200, "stream_error");
  }

  private void onAppGone() {
    if (ended) {
      return;
    }
    ended = true;
    cancelTimers();
    if (attempt.request() != null) {
      attempt.request().reset();
    }
    attempt.settle(null);
    exchange.onRelayEnded(attempt, 499, "cancelled");
  }

  private void cancelTimers() {
    if (idleTimer >= 0) {
      exchange.context.vertx().cancelTimer(idleTimer);
    }
    if (deadlineTimer >= 0) {
      exchange.context.vertx().cancelTimer(deadlineTimer);
    }
  }
}
