package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonScanner;
import ai.holysheep.k8s.sidecar.metrics.Usage;
import ai.holysheep.k8s.sidecar.route.UsageSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Relays a committed non-SSE answer (one over the JSON bound, audio, files) as it arrives, with
 * back-pressure, an idle limit ({@code streamIdleTimeout}, not counting time the app is not
 * reading), {@code responseTimeout}, and cancellation of the upstream when the app leaves. A body
 * that breaks or stalls cannot be marked as failed in its bytes, so the app's connection is reset:
 * the app sees a broken answer, never a silently short one.
 */
final class BodyRelay {
  private final Attempt attempt;
  private final ProxyExchange exchange;
  private final HttpClientResponse upstream;
  private final JsonScanner scanner;
  private final Pump pump;
  private boolean ended;

  /**
   * @param scanner reads usage on the way (JSON answers), or null
   */
  BodyRelay(Attempt attempt, HttpClientResponse upstream, JsonScanner scanner) {
    this.attempt = attempt;
    this.exchange = attempt.exchange;
    this.upstream = upstream;
    this.scanner = scanner;
    this.pump =
        new Pump(
            exchange,
            upstream,
            exchange.context.config().streamIdleTimeout().toNanos(),
            () -> broken(FailureKind.BODY_INTERRUPTED),
            () -> broken(null));
  }

  void start() {
    exchange.onAppGoneAfterCommit(this::onAppGone);
    pump.begin();
    upstream.handler(this::onChunk);
    upstream.exceptionHandler(e -> broken(FailureKind.BODY_INTERRUPTED));
    upstream.endHandler(v -> onEnd());
  }

  /** Writes bytes read before the relay started. */
  void write(Buffer bytes) {
    if (!ended && bytes != null && bytes.length() > 0) {
      pump.write(bytes);
    }
  }

  private void onChunk(Buffer chunk) {
    if (ended) {
      return;
    }
    pump.activity();
    if (scanner != null) {
      scanner.feed(chunk);
    }
    pump.write(chunk);
  }

  private void onEnd() {
    if (ended) {
      return;
    }
    ended = true;
    pump.stop();
    exchange.response.end();
    pump.countTokens(attempt, usage());
    int status = upstream.statusCode();
    exchange.onRelayEnded(attempt, status, ExchangeReplies.outcomeOf(status));
  }

  private void broken(FailureKind kind) {
    if (ended) {
      return;
    }
    ended = true;
    pump.stop();
    attempt.resetUpstream();
    exchange.response.reset();
    if (kind != null) {
      attempt.lateFailure(kind);
    }
    exchange.onRelayEnded(attempt, upstream.statusCode(), "error");
  }

  private void onAppGone() {
    if (!ended) {
      ended = true;
      pump.appGone(attempt, usage());
    }
  }

  private Usage usage() {
    return scanner == null || exchange.route.usage() == UsageSource.NONE
        ? null
        : AnswerScan.usage(scanner);
  }
}
