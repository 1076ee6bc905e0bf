package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.cache.CacheableRequest;
import ai.holysheep.k8s.sidecar.cache.CachedResponse;
import ai.holysheep.k8s.sidecar.metrics.ModelList;
import ai.holysheep.k8s.sidecar.metrics.Usage;
import ai.holysheep.k8s.sidecar.upstream.Selection;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import ai.holysheep.k8s.sidecar.upstream.UpstreamSelector;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One app request through the attempt loop: picks upstreams, starts attempts (a hedge for a slow
 * JSON call), collects failures, and answers with the winner, a stale cached answer, or an error.
 * Runs entirely on the app connection's event loop, so its state needs no locking.
 */
final class ProxyExchange {
  private static final System.Logger LOG = System.getLogger(ProxyExchange.class.getName());

  final ProxyContext context;
  final HttpServerRequest request;
  final HttpServerResponse response;
  final HttpMethod method;
  final String uri;
  final MultiMap upstreamHeaders;

  /** The replayable body, or {@code null} when the body streams through (one attempt only). */
  final Buffer body;

  /** Bytes already read from a streaming body before it turned out too large to buffer. */
  final Buffer streamingPrefix;

  final boolean streamRequested;
  final long startNanos;
  final long deadlineNanos;
  private final CacheableRequest cacheable;
  private final long budgetBytes;

  private final List<Attempt> inFlight = new ArrayList<>(2);
  private final Set<Upstream> tried = new HashSet<>(4);
  private int attemptsStarted;
  private boolean panicUsed;
  private boolean finished;
  private boolean budgetReleased;
  private long deadlineTimer = -1;
  private Upstream lastUpstream;
  private final FailureSummary failures = new FailureSummary();
  private Runnable committedAppGone;

  ProxyExchange(
      ProxyContext context,
      HttpServerRequest request,
      Buffer body,
      Buffer streamingPrefix,
      long budgetBytes,
      Duration responseTimeout) {
    this.context = context;
    this.request = request;
    this.response = request.response();
    this.method = request.method();
    this.uri = request.uri();
    this.body = body;
    this.streamingPrefix = streamingPrefix;
    this.budgetBytes = budgetBytes;
    this.streamRequested = StreamRequests.isStream(body, request.getHeader(HttpHeaders.ACCEPT));
    String requestId = request.getHeader(HeaderRewriter.REQUEST_ID);
    this.upstreamHeaders =
        HeaderRewriter.upstreamHeaders(
            request.headers(),
            requestId != null ? requestId : HeaderRewriter.newRequestId(),
            streamRequested);
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + responseTimeout.toNanos();
    this.cacheable =
        body != null && !streamRequested
            ? context.cache().classify(method, request.uri(), request.headers(), body)
            : null;
  }

  void start() {
    response.closeHandler(v -> onAppGone());
    response.endHandler(v -> releaseBudget());
    deadlineTimer = context.vertx().setTimer(Math.max(1, remainingMillis()), id -> onDeadline());
    next(null, null);
  }

  boolean replayable() {
    return body != null;
  }

  long remainingMillis() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000;
  }

  int attemptsStarted() {
    return attemptsStarted;
  }

  private int maxAttempts() {
    return replayable() ? 1 + context.config().maxRetries() : 1;
  }

  /** Starts the next attempt after a failure, or answers when none is left. */
  private void next(Upstream from, FailureKind reason) {
    if (finished) {
      return;
    }
    Selection selection = null;
    if (attemptsStarted < maxAttempts()) {
      selection =
          UpstreamSelector.select(
              context.upstreams().all(),
              tried,
              context.clock().instant(),
              Duration.ofMillis(Math.max(0, remainingMillis())),
              false,
              !panicUsed);
    }
    if (selection == null) {
      if (inFlight.isEmpty()) {
        answerFailure();
      }
      return;
    }
    if (from != null) {
      context.metrics().failover(from.name(), selection.upstream().name(), reason.label());
    }
    launch(selection);
  }

  /** A JSON attempt passed {@code timeout} without an answer: race the next upstream. */
  void hedge(Attempt slow) {
    if (finished || !replayable() || streamRequested || attemptsStarted >= maxAttempts()) {
      return;
    }
    Selection selection =
        UpstreamSelector.select(
            context.upstreams().all(),
            tried,
            context.clock().instant(),
            Duration.ofMillis(Math.max(0, remainingMillis())),
            true,
            false);
    if (selection == null || !selection.delay().isZero()) {
      if (selection != null) {
        settleUnused(selection);
      }
      return;
    }
    context.metrics().failover(slow.upstream.name(), selection.upstream().name(), "hedge");
    launch(selection);
  }

  private static void settleUnused(Selection selection) {
    if (selection.permitted()) {
      selection.upstream().breaker().release();
    }
  }

  private void launch(Selection selection) {
    if (selection.panic()) {
      panicUsed = true;
    }
    attemptsStarted++;
    tried.add(selection.upstream());
    lastUpstream = selection.upstream();
    Attempt attempt = new Attempt(this, selection);
    inFlight.add(attempt);
    if (selection.delay().isZero()) {
      attempt.start();
    } else {
      context.vertx().setTimer(Math.max(1, selection.delay().toMillis()), id -> attempt.start());
    }
  }

  void onAttemptFailed(Attempt attempt, FailureKind kind, Duration retryAfter) {
    inFlight.remove(attempt);
    failures.record(kind, retryAfter);
    LOG.log(
        System.Logger.Level.DEBUG,
        "attempt {0} on upstream {1} failed: {2}",
        attempt.number,
        attempt.upstream.name(),
        kind.label());
    next(attempt.upstream, kind);
  }

  /** A complete answer (success or pass-through): the first one wins. */
  void onAnswer(Attempt winner, HttpClientResponse upstreamResponse, Buffer answer) {
    if (!claim(winner)) {
      return;
    }
    int status = upstreamResponse.statusCode();
    Upstream upstream = winner.upstream;
    writeHead(upstreamResponse, upstream);
    if (status >= 200 && status < 300) {
      countTokens(upstream, answer);
      if (method == HttpMethod.GET && request.path().endsWith("/models")) {
        upstream.learnModels(ModelList.parse(answer));
      }
      if (cacheable != null) {
        context
            .cache()
            .store(cacheable, upstream.name(), status, upstreamResponse.headers(), answer);
      }
    }
    response.end(answer);
    recordRequest(upstream.name(), status, outcomeOf(status));
  }

  /** An answer that is relayed as it arrives (too large to hold, or not JSON). */
  boolean commitRelay(Attempt winner, HttpClientResponse upstreamResponse) {
    if (!claim(winner)) {
      return false;
    }
    writeHead(upstreamResponse, winner.upstream);
    String length = upstreamResponse.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      response.setChunked(true);
    }
    return true;
  }

  /** The first non-error event of a stream arrived: commit to this attempt. */
  boolean commitStream(Attempt winner, HttpClientResponse upstreamResponse) {
    if (!claim(winner)) {
      return false;
    }
    writeHead(upstreamResponse, winner.upstream);
    response.setChunked(true);
    return true;
  }

  void onRelayEnded(Attempt attempt, int status, String outcome) {
    recordRequest(attempt.upstream.name(), status, outcome);
  }

  private boolean claim(Attempt winner) {
    if (finished || response.closed()) {
      return false;
    }
    finished = true;
    context.vertx().cancelTimer(deadlineTimer);
    inFlight.remove(winner);
    cancelAll(false);
    return true;
  }

  private void writeHead(HttpClientResponse upstreamResponse, Upstream upstream) {
    response.setStatusCode(upstreamResponse.statusCode());
    String message = upstreamResponse.statusMessage();
    if (message != null && !message.isEmpty()) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    HeaderRewriter.copyResponseHeaders(upstreamResponse.headers(), headers);
    if (!headers.contains(HeaderRewriter.REQUEST_ID)) {
      headers.set(HeaderRewriter.REQUEST_ID, upstreamHeaders.get(HeaderRewriter.REQUEST_ID));
    }
    headers.set(ErrorAnswers.UPSTREAM_HEADER, upstream.name());
    headers.set(ErrorAnswers.ATTEMPTS_HEADER, Integer.toString(attemptsStarted));
  }

  private void countTokens(Upstream upstream, Buffer answer) {
    if (answer.length() > 0 && Usage.mayContainUsage(answer, 0, answer.length())) {
      byte[] bytes = answer.getBytes();
      Usage usage = Usage.parse(bytes, 0, bytes.length);
      if (usage != null) {
        context.metrics().tokens(upstream, usage);
      }
    }
  }

  private void onDeadline() {
    if (finished) {
      return;
    }
    for (Attempt attempt : List.copyOf(inFlight)) {
      attempt.cancel(FailureKind.TIMEOUT);
    }
    inFlight.clear();
    failures.record(FailureKind.TIMEOUT, null);
    answerFailure();
  }

  /** Called instead of the default cancellation once a stream has committed. */
  void onAppGoneAfterCommit(Runnable handler) {
    committedAppGone = handler;
  }

  private void onAppGone() {
    if (response.ended()) {
      return;
    }
    releaseBudget();
    if (committedAppGone != null) {
      committedAppGone.run();
      return;
    }
    if (!finished) {
      finished = true;
      context.vertx().cancelTimer(deadlineTimer);
      cancelAll(true);
      recordRequest(lastUpstream == null ? "none" : lastUpstream.name(), 499, "cancelled");
    }
  }

  /** Cancels every attempt still running; a losing hedge that was slow counts as a timeout. */
  private void cancelAll(boolean appGone) {
    for (Attempt attempt : List.copyOf(inFlight)) {
      attempt.cancel(!appGone && attempt.slow() ? FailureKind.TIMEOUT : null);
    }
    inFlight.clear();
  }

  private void answerFailure() {
    if (finished) {
      return;
    }
    finished = true;
    context.vertx().cancelTimer(deadlineTimer);
    if (cacheable == null || response.closed()) {
      sendError();
      return;
    }
    context
        .cache()
        .lookup(cacheable, context.upstreams().names())
        .onComplete(
            lookup -> {
              CachedResponse cached = lookup.succeeded() ? lookup.result() : null;
              if (cached == null) {
                sendError();
              } else {
                sendStale(cached);
              }
            });
  }

  private void sendStale(CachedResponse cached) {
    if (!response.closed()) {
      FailureSummary.sendStale(response, cached, attemptsStarted);
      recordRequest(cached.upstream(), cached.status(), "stale");
    }
  }

  private void sendError() {
    if (attemptsStarted == 0) {
      int status =
          FailureSummary.sendNoUpstream(
              response, context.upstreams().all(), context.clock().instant());
      recordRequest("none", status, "error");
      return;
    }
    String upstream = lastUpstream == null ? null : lastUpstream.name();
    int status = failures.sendError(response, attemptsStarted, upstream);
    recordRequest(upstream == null ? "none" : upstream, status, "error");
  }

  private void recordRequest(String upstream, int status, String outcome) {
    context.metrics().request(upstream, status, outcome, System.nanoTime() - startNanos);
  }

  private static String outcomeOf(int status) {
    return status >= 200 && status < 300 ? "success" : "passthrough";
  }

  private void releaseBudget() {
    if (!budgetReleased) {
      budgetReleased = true;
      context.budget().release(budgetBytes);
    }
  }

  boolean finished() {
    return finished;
  }
}
