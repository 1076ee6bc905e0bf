package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.stream.SseEvent;
import ai.holysheep.k8s.sidecar.stream.SseEventSplitter;
import ai.holysheep.k8s.sidecar.stream.StreamErrorEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * The SSE commit gate and relay. Before the first {@code data:} event nothing reaches the app:
 * comments and keep-alives are held (and restart the {@code timeout} silence clock), an error
 * object fails over, or, when deterministic (the request itself is wrong), goes to the app as a 4xx
 * with the upstream's message. At the first data event the answer commits (and a half-open trial is
 * settled); then each event is forwarded as it arrives, and a failure, a stall past {@code
 * streamIdleTimeout} or a chat stream ending without {@code [DONE]} ends the stream with the error
 * event (never a silent truncation). An upstream that ended its stream with such an error event
 * itself (another sidecar, or this project's gateway, in front of the real upstream) gets none
 * added: the app sees exactly one error event, whichever hop the failure happened on.
 */
final class StreamRelay {
  private final Attempt attempt;
  private final ProxyExchange exchange;
  private final HttpClientResponse upstreamResponse;
  private final HttpServerResponse appResponse;
  private final SseEventSplitter splitter;
  private final StreamUsage usage;
  private Pump pump;
  private Buffer held;
  private boolean committed;
  private boolean ended;
  private boolean sawDone;
  private boolean sawError;

  StreamRelay(Attempt attempt, HttpClientResponse upstreamResponse) {
    this.attempt = attempt;
    this.exchange = attempt.exchange;
    this.upstreamResponse = upstreamResponse;
    this.appResponse = exchange.response;
    this.splitter =
        new SseEventSplitter(exchange.context.config().maxEventSizeBytes(), this::onEvent);
    this.usage = new StreamUsage(exchange.route.usage(), exchange.strippingUsage());
  }

  void start() {
    attempt.heard();
    upstreamResponse.handler(this::onChunk);
    upstreamResponse.endHandler(v -> onUpstreamEnd());
    upstreamResponse.exceptionHandler(
        e -> failBeforeOrAfterCommit(Classifier.ofException(e), StreamErrorEvent.CODE_INTERRUPTED));
  }

  private void onChunk(Buffer chunk) {
    if (ended || attempt.isDone() && !committed) {
      return;
    }
    if (committed) {
      pump.activity();
    } else {
      attempt.heard();
    }
    if (!splitter.feed(chunk)) {
      failBeforeOrAfterCommit(FailureKind.STREAM_ERROR, StreamErrorEvent.CODE_TOO_LARGE);
    }
  }

  private void onEvent(SseEvent event) {
    if (ended) {
      return;
    }
    if (!committed) {
      gate(event);
    } else {
      forward(event);
    }
  }

  private void gate(SseEvent event) {
    if (!event.hasData()) {
      held = held == null ? event.raw().copy() : held.appendBuffer(event.raw());
      return;
    }
    if (AnswerScan.isErrorObject(event.raw(), event.dataStart(), event.dataEnd())) {
      ErrorObjects.Deterministic deterministic =
          ErrorObjects.deterministic(event.raw(), event.dataStart(), event.dataEnd());
      if (deterministic != null) {
        passDeterministic(deterministic);
        return;
      }
      if (exchange.route.routeClass().mayFailOver()) {
        ended = true;
        Buffer data = event.raw().slice(event.dataStart(), event.dataEnd());
        attempt.fail(FailureKind.STREAM_ERROR, null, ErrorObjects.message(data));
        return;
      }
    }
    commit(event);
  }

  private void passDeterministic(ErrorObjects.Deterministic deterministic) {
    ended = true;
    attempt.cancelSilence();
    attempt.resetUpstream();
    if (!exchange.claim(attempt)) {
      attempt.cancel(null);
      return;
    }
    attempt.markDone();
    attempt.settle(deterministic.status());
    exchange.replies.sendDeterministic(attempt, deterministic);
  }

  private void commit(SseEvent first) {
    attempt.cancelSilence();
    if (!exchange.claim(attempt)) {
      ended = true;
      attempt.cancel(null);
      return;
    }
    committed = true;
    attempt.markDone();
    exchange.replies.writeHead(upstreamResponse, attempt.upstream);
    appResponse.setChunked(true);
    attempt.timeToFirstByte();
    attempt.settle(200);
    exchange.onAppGoneAfterCommit(this::onAppGone);
    pump =
        new Pump(
            exchange,
            upstreamResponse,
            exchange.context.config().streamIdleTimeout().toNanos(),
            () ->
                endWithError(
                    "the upstream stream stalled longer than streamIdleTimeout",
                    StreamErrorEvent.CODE_IDLE,
                    FailureKind.TIMEOUT),
            () ->
                endWithError(
                    "the stream exceeded responseTimeout", StreamErrorEvent.CODE_DEADLINE, null));
    pump.begin();
    if (held != null) {
      pump.write(held);
      held = null;
    }
    forward(first);
  }

  private void forward(SseEvent event) {
    if (event.isDone()) {
      sawDone = true;
    } else if (event.hasData()
        && AnswerScan.isErrorObject(event.raw(), event.dataStart(), event.dataEnd())) {
      sawError = true;
    }
    Buffer out = usage.onEvent(event);
    if (out != null) {
      pump.write(out);
    }
  }

  private void onUpstreamEnd() {
    if (ended) {
      return;
    }
    splitter.flush();
    if (ended) {
      return;
    }
    if (!committed) {
      ended = true;
      attempt.fail(FailureKind.STREAM_ERROR, null, null);
      return;
    }
    if (exchange.route.endsWithDone() && !sawDone) {
      endWithError(
          "the upstream stream ended before it was complete",
          StreamErrorEvent.CODE_INCOMPLETE,
          FailureKind.STREAM_ERROR);
      return;
    }
    ended = true;
    pump.stop();
    appResponse.end();
    pump.countTokens(attempt, usage.last());
    exchange.onRelayEnded(attempt, 200, "success");
  }

  private void failBeforeOrAfterCommit(FailureKind kind, String code) {
    if (ended) {
      return;
    }
    if (!committed) {
      ended = true;
      attempt.fail(kind, null, null);
      return;
    }
    endWithError("the upstream stream was interrupted", code, FailureKind.STREAM_ERROR);
  }

  private void endWithError(String message, String code, FailureKind kind) {
    ended = true;
    pump.stop();
    attempt.resetUpstream();
    if (!appResponse.closed() && !appResponse.ended()) {
      if (sawError) {
        appResponse.end(); // the upstream's own error event already told the app
      } else {
        appResponse.end(StreamErrorEvent.of(message, code));
      }
    }
    if (kind != null) {
      attempt.lateFailure(kind);
    }
    pump.countTokens(attempt, usage.last());
    exchange.onRelayEnded(attempt, 200, "stream_error");
  }

  private void onAppGone() {
    if (!ended) {
      ended = true;
      pump.appGone(attempt, usage.last());
    }
  }
}
