package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.config.ApiKey;
import ai.holysheep.k8s.sidecar.upstream.Selection;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import ai.holysheep.k8s.sidecar.upstream.UpstreamTarget;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * One request to one upstream: connects, sends, classifies the answer's head and hands the body to
 * an {@link AnswerReader}, a {@link StreamRelay} or a {@link BodyRelay}. Settles the upstream's
 * breaker permission exactly once.
 *
 * <p>A non-streamed call has no time limit of its own before its answer (its headers come with it):
 * it is never cancelled or duplicated at {@code timeout}; it is left only when its upstream's
 * breaker opens while it waits, or at {@code responseTimeout}. A stream request fails over after
 * {@code timeout} of silence before its first event (time spent waiting for a pooled connection
 * does not count).
 */
final class Attempt {
  private static final System.Logger LOG = System.getLogger(Attempt.class.getName());

  final ProxyExchange exchange;
  final Upstream upstream;
  final int number;
  final Selection selection;
  final ProxyContext context;

  private long startNanos;
  private long silenceTimer = -1;
  private HttpClientRequest request;
  private boolean headersReceived;
  private boolean answerConsumed;
  private boolean settled;
  private boolean done;
  private Runnable openWatch;

  Attempt(ProxyExchange exchange, Selection selection) {
    this.exchange = exchange;
    this.context = exchange.context;
    this.selection = selection;
    this.upstream = selection.upstream();
    this.number = exchange.attemptsStarted();
  }

  void start() {
    if (done || exchange.finished()) {
      done = true;
      settle(null);
      return;
    }
    startNanos = System.nanoTime();
    ApiKey key = upstream.key();
    if (key == null) {
      fail(FailureKind.AUTH, null, null);
      return;
    }
    if (exchange.leavesOpenUpstreams() && !selection.panic()) {
      openWatch = () -> exchange.vertxContext.runOnContext(v -> onUpstreamOpened());
      upstream.watchOpen(openWatch);
    }
    UpstreamTarget target = upstream.target();
    RequestOptions options =
        new RequestOptions()
            .setMethod(exchange.method)
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.ssl())
            .setURI(target.upstreamUri(exchange.uri))
            .setTimeout(0);
    upstream
        .client()
        .request(options)
        .onComplete(
            obtained -> {
              if (obtained.failed()) {
                if (!done) {
                  fail(Classifier.ofException(obtained.cause()), null, null);
                }
                return;
              }
              HttpClientRequest obtainedRequest = obtained.result();
              // every outcome of the call reaches this attempt through its futures and the
              // response's handlers; without a handler here Vert.x would also log each reset the
              // sidecar makes (a cancelled or abandoned call) as a SEVERE unhandled exception
              obtainedRequest.exceptionHandler(Attempt::quietly);
              if (done) {
                obtainedRequest.reset();
                return;
              }
              request = obtainedRequest;
              send(obtainedRequest, key);
            });
  }

  private static void quietly(Throwable failure) {
    LOG.log(System.Logger.Level.DEBUG, "upstream request ended: {0}", failure.toString());
  }

  private void send(HttpClientRequest upstreamRequest, ApiKey key) {
    upstreamRequest.headers().addAll(exchange.upstreamHeaders);
    upstreamRequest.headers().set(HttpHeaders.AUTHORIZATION, key.authorizationHeader());
    if (exchange.streamRequested) {
      heard();
    }
    Future<HttpClientResponse> answer;
    if (exchange.body != null) {
      answer = upstreamRequest.send(exchange.upstreamBody(upstream));
    } else {
      answer = sendStreaming(upstreamRequest);
    }
    answer.onComplete(
        result -> {
          if (done) {
            return;
          }
          if (result.failed()) {
            fail(Classifier.ofException(result.cause()), null, null);
          } else {
            onResponse(result.result());
          }
        });
  }

  /** A body too large to replay: streamed to this single upstream as it arrives. */
  private Future<HttpClientResponse> sendStreaming(HttpClientRequest upstreamRequest) {
    String length = exchange.request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      upstreamRequest.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      upstreamRequest.setChunked(true);
    }
    if (exchange.streamingPrefix != null) {
      upstreamRequest.write(exchange.streamingPrefix);
    }
    exchange.request.pipeTo(upstreamRequest);
    return upstreamRequest.response();
  }

  private void onResponse(HttpClientResponse response) {
    headersReceived = true;
    unwatchOpen();
    int status = response.statusCode();
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    Duration retryAfter = RateLimits.retryAfter(response, context.clock().instant());
    FailureKind failure =
        Classifier.ofHead(status, type, exchange.streamRequested, retryAfter != null);
    upstream.recordActivity(
        Duration.ofNanos(System.nanoTime() - startNanos), failure == FailureKind.AUTH);
    if (failure != null) {
      // An upstream that says not to retry (the gateway, after its own failover) is not asked
      // again: with nothing else left its answer goes to the app unchanged, so the retries of the
      // two hops never multiply.
      boolean othersLeft =
          !ErrorAnswers.SHOULD_NOT_RETRY.equalsIgnoreCase(
                  response.getHeader(ErrorAnswers.SHOULD_RETRY_HEADER))
              || exchange.noMoreAttemptsOn(upstream);
      if (othersLeft
          && (exchange.mayRetryAfter(failure) || exchange.route.routeClass().mayFailOver())) {
        FailureBody.read(this, response, failure, retryAfter);
      } else {
        deliver(response, failure);
      }
      return;
    }
    if (status >= 200 && status < 300 && exchange.streamRequested) {
      new StreamRelay(this, response).start();
      return;
    }
    deliver(response, null);
  }

  /** The answer goes to the app (unless its 2xx body proves to be an error object). */
  private void deliver(HttpClientResponse response, FailureKind failure) {
    cancelSilence();
    exchange.onHeaders();
    if (Classifier.isJson(response.getHeader(HttpHeaders.CONTENT_TYPE))) {
      new AnswerReader(this, response, failure).start();
    } else {
      relay(response, failure);
    }
  }

  /** Relays the answer as it arrives, from its headers on. */
  void relay(HttpClientResponse response, FailureKind failure) {
    if (!exchange.claim(this)) {
      cancel(null);
      return;
    }
    markDone();
    exchange.replies.writeRelayHead(response, upstream, true);
    timeToFirstByte();
    if (failure == null) {
      settle(response.statusCode());
    } else {
      settleFailure(failure);
    }
    new BodyRelay(this, response, null).start();
  }

  void timeToFirstByte() {
    context.metrics().timeToFirstByte(upstream.name(), System.nanoTime() - exchange.startNanos);
  }

  /** The upstream of a stream request said something: its silence starts again. */
  void heard() {
    cancelSilence();
    silenceTimer =
        context.vertx().setTimer(context.config().timeout().toMillis(), id -> onSilence());
  }

  private void onSilence() {
    silenceTimer = -1;
    if (!done) {
      fail(FailureKind.TIMEOUT, null, null);
    }
  }

  void cancelSilence() {
    if (silenceTimer >= 0) {
      context.vertx().cancelTimer(silenceTimer);
      silenceTimer = -1;
    }
  }

  /** Health checks or other requests opened this upstream's breaker while we waited. */
  private void onUpstreamOpened() {
    if (!done && !headersReceived) {
      fail(FailureKind.BREAKER_OPENED, null, null);
    }
  }

  private void unwatchOpen() {
    if (openWatch != null) {
      upstream.unwatchOpen(openWatch);
      openWatch = null;
    }
  }

  /** Reports a failure to the exchange (which may fail over) and stops this attempt. */
  void fail(FailureKind kind, Duration retryAfter, String message) {
    if (done) {
      return;
    }
    done = true;
    cancelSilence();
    unwatchOpen();
    if (request != null && !answerConsumed) {
      request.reset();
    }
    settleFailure(kind);
    exchange.onAttemptFailed(this, kind, retryAfter, message);
  }

  /** Stops this attempt without reporting to the exchange; {@code kind} null = not counted. */
  void cancel(FailureKind kind) {
    if (done) {
      return;
    }
    done = true;
    cancelSilence();
    unwatchOpen();
    if (request != null) {
      request.reset();
    }
    if (kind == null) {
      settle(null);
      context.metrics().attempt(upstream.name(), "cancelled");
    } else {
      settleFailure(kind);
    }
  }

  /** The failed answer was read to its end: its connection can be kept. */
  void answerConsumed() {
    answerConsumed = true;
  }

  /** Resets the upstream request (the app left, or a committed answer failed). */
  void resetUpstream() {
    if (request != null) {
      request.reset();
    }
  }

  boolean isDone() {
    return done;
  }

  void markDone() {
    done = true;
    cancelSilence();
    unwatchOpen();
  }

  /** Settles the permission for an answer ({@code status}) or a not-counted end ({@code null}). */
  void settle(Integer status) {
    if (settled) {
      return;
    }
    settled = true;
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    boolean success = status != null && status >= 200 && status < 300;
    if (status != null) {
      context.metrics().attempt(upstream.name(), success ? "success" : "passthrough");
    }
    if (selection.panic()) {
      if (success) {
        upstream.breaker().onPanicSuccess();
      }
      return;
    }
    if (!selection.permitted()) {
      return;
    }
    if (success) {
      upstream.breaker().onSuccess(elapsed);
    } else {
      upstream.breaker().release();
    }
  }

  void settleFailure(FailureKind kind) {
    if (settled) {
      return;
    }
    settled = true;
    context.metrics().attempt(upstream.name(), kind.label());
    if (!selection.permitted()) {
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    if (kind.countsAgainstBreaker()) {
      upstream.breaker().onFailure(elapsed);
    } else {
      upstream.breaker().release();
    }
  }

  /** A committed answer failed after its permission was settled (at its first event). */
  void lateFailure(FailureKind kind) {
    if (kind.countsAgainstBreaker()) {
      upstream.breaker().onFailure(Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }
}
