package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.json.JsonScanner;
import ai.holysheep.k8s.sidecar.metrics.Usage;
import ai.holysheep.k8s.sidecar.route.UsageSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Holds a JSON answer up to a bound (per answer, and within the pod's buffer budget) so that a 2xx
 * error object can still fail over and the stale cache can keep it; beyond the bound the answer is
 * committed and relayed as it arrives. Usage is read on the way, in one scan, never by parsing the
 * whole body. A body that stalls for {@code streamIdleTimeout} or breaks after its headers was
 * (partly) produced: it is never replayed.
 */
final class AnswerReader {
  private final Attempt attempt;
  private final ProxyExchange exchange;
  private final HttpClientResponse response;
  private final FailureKind failure;
  private final JsonScanner scanner = AnswerScan.topLevel();
  private final long maxBytes;
  private final long idleMillis;
  private Buffer body = Buffer.buffer();
  private long acquired;
  private long lastChunkNanos;
  private long idleTimer = -1;
  private boolean finished;

  /**
   * @param failure the failure kind when a pinned route passes the upstream's failed answer through
   *     as it is; null for an answer that may still prove to be a success
   */
  AnswerReader(Attempt attempt, HttpClientResponse response, FailureKind failure) {
    this.attempt = attempt;
    this.exchange = attempt.exchange;
    this.response = response;
    this.failure = failure;
    this.maxBytes = exchange.context.maxBufferedAnswerBytes();
    this.idleMillis = exchange.context.config().streamIdleTimeout().toMillis();
  }

  void start() {
    lastChunkNanos = System.nanoTime();
    scheduleIdleCheck(idleMillis);
    response.handler(this::onChunk);
    response.exceptionHandler(e -> interrupted());
    response.endHandler(v -> onEnd());
  }

  private void onChunk(Buffer chunk) {
    if (finished) {
      return;
    }
    lastChunkNanos = System.nanoTime();
    scanner.feed(chunk);
    if (body.length() + chunk.length() > maxBytes
        || !exchange.context.budget().tryAcquire(chunk.length())) {
      switchToRelay(chunk);
      return;
    }
    acquired += chunk.length();
    body.appendBuffer(chunk);
  }

  private void switchToRelay(Buffer chunk) {
    stop();
    if (!exchange.claim(attempt)) {
      attempt.cancel(null);
      return;
    }
    attempt.markDone();
    exchange.replies.writeRelayHead(response, attempt.upstream, true);
    attempt.timeToFirstByte();
    settle();
    BodyRelay relay = new BodyRelay(attempt, response, scanner);
    relay.start();
    relay.write(body);
    relay.write(chunk);
    body = null;
    release();
  }

  private void onEnd() {
    if (finished) {
      return;
    }
    stop();
    int status = response.statusCode();
    if (failure == null && status >= 200 && status < 300 && AnswerScan.isErrorObject(scanner)) {
      onErrorObject();
      return;
    }
    if (!exchange.claim(attempt)) {
      attempt.cancel(null);
      release();
      return;
    }
    attempt.markDone();
    settle();
    attempt.timeToFirstByte();
    countTokens();
    exchange.replies.sendAnswer(attempt, response, body);
    release();
  }

  /** A 2xx whose body is an error object: deterministic ones go to the app as a 4xx. */
  private void onErrorObject() {
    ErrorObjects.Deterministic deterministic = ErrorObjects.deterministic(body, 0, body.length());
    if (deterministic != null) {
      if (exchange.claim(attempt)) {
        attempt.markDone();
        attempt.settle(deterministic.status());
        exchange.replies.sendDeterministic(attempt, deterministic);
      } else {
        attempt.cancel(null);
      }
    } else {
      attempt.answerConsumed();
      attempt.fail(FailureKind.BAD_ANSWER, null, ErrorObjects.message(body));
    }
    release();
  }

  private void settle() {
    if (failure == null) {
      attempt.settle(response.statusCode());
    } else {
      attempt.settleFailure(failure);
    }
  }

  private void countTokens() {
    Usage usage = AnswerScan.usage(scanner);
    if (usage != null && exchange.route.usage() != UsageSource.NONE) {
      exchange.context.metrics().tokens(attempt.upstream, usage);
    }
  }

  private void interrupted() {
    if (finished) {
      return;
    }
    stop();
    release();
    attempt.resetUpstream();
    attempt.fail(FailureKind.BODY_INTERRUPTED, null, null);
  }

  private void scheduleIdleCheck(long delayMillis) {
    idleTimer = exchange.context.vertx().setTimer(Math.max(1, delayMillis), id -> idleCheck());
  }

  private void idleCheck() {
    if (finished) {
      return;
    }
    long idleFor = (System.nanoTime() - lastChunkNanos) / 1_000_000;
    if (idleFor >= idleMillis) {
      interrupted();
    } else {
      scheduleIdleCheck(idleMillis - idleFor);
    }
  }

  private void stop() {
    finished = true;
    exchange.context.vertx().cancelTimer(idleTimer);
  }

  private void release() {
    exchange.context.budget().release(acquired);
    acquired = 0;
  }
}
