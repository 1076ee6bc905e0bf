package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.cache.CacheableRequest;
import ai.holysheep.k8s.sidecar.route.Route;
import ai.holysheep.k8s.sidecar.upstream.Selection;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One app request through the attempt loop: picks upstreams as the request's {@link Route} allows,
 * starts attempts (and a hedge when configured), collects failures, and hands the answer to {@link
 * ExchangeReplies}. Runs entirely on the app connection's event loop, so its state needs no
 * locking.
 */
final class ProxyExchange {
  private static final System.Logger LOG = System.getLogger(ProxyExchange.class.getName());

  final ProxyContext context;
  final Context vertxContext;
  final HttpServerRequest request;
  final HttpServerResponse response;
  final HttpMethod method;
  final String uri;
  final Route route;
  final MultiMap upstreamHeaders;

  /** The replayable body, or {@code null} when the body streams through (one attempt only). */
  final Buffer body;

  /** What is sent upstream: the body, with {@code include_usage} when the sidecar asks for it. */
  private final Buffer upstreamBody;

  /** Bytes already read from a streaming body before it turned out too large to buffer. */
  final Buffer streamingPrefix;

  final boolean streamRequested;
  final long startNanos;
  private final long deadlineNanos;
  private final long appDeadlineNanos;
  private final AttemptPlan plan;
  final CacheableRequest cacheable;
  private final long budgetBytes;
  final ExchangeReplies replies;

  private final List<Attempt> inFlight = new ArrayList<>(2);

  private int attemptsStarted;
  private boolean finished;
  private boolean headersSeen;
  private boolean budgetReleased;
  private long deadlineTimer = -1;
  private long appDeadlineTimer = -1;
  private long hedgeTimer = -1;
  Upstream lastUpstream;
  final FailureSummary failures = new FailureSummary();
  private Runnable committedAppGone;

  ProxyExchange(ProxyContext context, ExchangeRequest in) {
    this.context = context;
    this.vertxContext = context.vertx().getOrCreateContext();
    this.request = in.request();
    this.response = request.response();
    this.method = request.method();
    this.uri = request.uri();
    this.route = in.route();
    this.body = in.body();
    this.streamingPrefix = in.streamingPrefix();
    this.budgetBytes = in.budgetBytes();
    this.streamRequested = in.stream();
    this.upstreamHeaders = in.upstreamHeaders();
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + context.config().responseTimeout().toNanos();
    this.appDeadlineNanos =
        in.appTimeout() == null ? Long.MAX_VALUE : startNanos + in.appTimeout().toNanos();
    this.plan =
        new AttemptPlan(
            in.pinned() != null ? List.of(in.pinned()) : context.upstreams().all(),
            body,
            context.clock());
    this.cacheable =
        body != null && !streamRequested && route.cacheable()
            ? context.cache().classify(method, uri, request.headers(), body, in.tenant())
            : null;
    this.replies = new ExchangeReplies(this);
    Buffer withUsage =
        body != null && streamRequested && route.asksUsage() && !UsageRequest.asked(body)
            ? UsageRequest.withUsage(body)
            : null;
    this.upstreamBody = withUsage != null ? withUsage : body;
  }

  /** Whether the sidecar asked the upstream for usage the app did not ask for. */
  boolean strippingUsage() {
    return upstreamBody != body;
  }

  void start() {
    response.closeHandler(v -> onAppGone());
    response.endHandler(v -> releaseBudget());
    long responseMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
    deadlineTimer = context.vertx().setTimer(Math.max(1, responseMillis), id -> onDeadline());
    if (appDeadlineNanos != Long.MAX_VALUE) {
      appDeadlineTimer =
          context
              .vertx()
              .setTimer(
                  Math.max(1, (appDeadlineNanos - System.nanoTime()) / 1_000_000),
                  id -> onAppDeadline());
    }
    next(null, null);
  }

  /** The body sent to {@code upstream}: with its own name for the model when it maps models. */
  Buffer upstreamBody(Upstream upstream) {
    return plan.bodyFor(upstream, upstreamBody);
  }

  boolean replayable() {
    return body != null;
  }

  /** Time left before {@code responseTimeout}, or before the app's deadline while it applies. */
  long remainingMillis() {
    long until = headersSeen ? deadlineNanos : Math.min(deadlineNanos, appDeadlineNanos);
    return (until - System.nanoTime()) / 1_000_000;
  }

  int attemptsStarted() {
    return attemptsStarted;
  }

  private int maxAttempts() {
    return replayable() ? 1 + context.config().maxRetries() : 1;
  }

  /**
   * Whether a failure of this kind may still lead to another attempt: the route replays what the
   * failure may have let the upstream do, and attempts are left. Otherwise a pinned route passes
   * the upstream's own answer through.
   */
  boolean mayRetryAfter(FailureKind kind) {
    return replayable()
        && route.routeClass().replays(kind.reached())
        && attemptsStarted < maxAttempts();
  }

  /** Whether an attempt waiting for its answer is left when its upstream's breaker opens. */
  boolean leavesOpenUpstreams() {
    return replayable() && route.routeClass().mayFailOver();
  }

  /** Starts the next attempt after a failure, or answers when none is left. */
  private void next(Upstream from, FailureKind reason) {
    if (finished) {
      return;
    }
    Selection selection = null;
    boolean replays = reason == null || route.routeClass().replays(reason.reached());
    if (replays && attemptsStarted < maxAttempts()) {
      selection = plan.select(false, remainingMillis());
    }
    if (selection == null) {
      if (inFlight.isEmpty()) {
        answerFailure();
      }
      return;
    }
    if (!launch(selection)) {
      if (inFlight.isEmpty()) {
        answerFailure();
      }
      return;
    }
    if (from != null) {
      context.metrics().failover(from.name(), selection.upstream().name(), reason.label());
    }
    armHedge();
  }

  private void armHedge() {
    var hedging = context.config().hedging();
    if (hedging.enabled()
        && hedgeTimer < 0
        && attemptsStarted == 1
        && replayable()
        && route.routeClass().mayHedge()
        && plan.hasAlternatives()) {
      hedgeTimer = context.vertx().setTimer(Math.max(1, hedging.delay().toMillis()), id -> hedge());
    }
  }

  /** {@code hedging.delay} passed without an answer: race the next upstream. */
  private void hedge() {
    if (finished || headersSeen || inFlight.isEmpty() || attemptsStarted >= maxAttempts()) {
      return;
    }
    Selection selection = plan.select(true, remainingMillis());
    if (selection == null || !selection.delay().isZero()) {
      if (selection != null && selection.permitted()) {
        selection.upstream().breaker().release();
      }
      return;
    }
    String from = inFlight.get(0).upstream.name();
    if (launch(selection)) {
      context.metrics().failover(from, selection.upstream().name(), "hedge");
    }
  }

  /** Starts an attempt on the selected upstream, unless its retry pacing refuses it. */
  private boolean launch(Selection selection) {
    Duration delay = plan.admit(selection, remainingMillis());
    if (delay == null) {
      return false;
    }
    plan.started(selection);
    attemptsStarted++;
    lastUpstream = selection.upstream();
    Attempt attempt = new Attempt(this, selection);
    inFlight.add(attempt);
    if (delay.isZero()) {
      attempt.start();
    } else {
      context.vertx().setTimer(Math.max(1, delay.toMillis()), id -> attempt.start());
    }
    return true;
  }

  String model() {
    return plan.model();
  }

  /** See {@link AttemptPlan#exclude}; true when another upstream is left. */
  boolean noMoreAttemptsOn(Upstream upstream) {
    return plan.exclude(upstream);
  }

  void onAttemptFailed(Attempt attempt, FailureKind kind, Duration retryAfter, String message) {
    inFlight.remove(attempt);
    failures.record(kind, retryAfter, message);
    LOG.log(
        System.Logger.Level.DEBUG,
        "attempt {0} on upstream {1} failed: {2}",
        attempt.number,
        attempt.upstream.name(),
        kind.label());
    next(attempt.upstream, kind);
  }

  /** Answer headers arrived: the app's own deadline no longer applies. */
  void onHeaders() {
    if (!headersSeen && !streamRequested) {
      headersSeen = true;
      cancelAppDeadline();
    }
  }

  /**
   * The attempt may now write to the app: every other attempt is cancelled (never charged) and the
   * request's timers stop (a committed answer keeps its own).
   */
  boolean claim(Attempt winner) {
    if (finished || response.closed()) {
      return false;
    }
    finished = true;
    headersSeen = true;
    cancelTimers();
    inFlight.remove(winner);
    cancelAll(null);
    return true;
  }

  void onRelayEnded(Attempt attempt, int status, String outcome) {
    recordRequest(attempt.upstream.name(), status, outcome);
  }

  private void onDeadline() {
    if (finished) {
      return;
    }
    cancelAll(FailureKind.DEADLINE);
    failures.record(FailureKind.DEADLINE, null, null);
    answerFailure();
  }

  /** The app's {@code X-Stainless-Timeout} passed before any answer: it is giving up. */
  private void onAppDeadline() {
    appDeadlineTimer = -1;
    if (finished || headersSeen) {
      return;
    }
    finished = true;
    cancelTimers();
    cancelAll(null);
    int status = replies.sendAppDeadline();
    recordRequest(lastUpstream == null ? "none" : lastUpstream.name(), status, "app_timeout");
  }

  /** Called instead of the default cancellation once an answer has committed. */
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
      cancelTimers();
      cancelAll(null);
      recordRequest(lastUpstream == null ? "none" : lastUpstream.name(), 499, "cancelled");
    }
  }

  /** Cancels every attempt still running: {@code kind} null = not the upstream's failure. */
  private void cancelAll(FailureKind kind) {
    for (Attempt attempt : List.copyOf(inFlight)) {
      attempt.cancel(kind);
    }
    inFlight.clear();
  }

  private void cancelTimers() {
    context.vertx().cancelTimer(deadlineTimer);
    cancelAppDeadline();
    if (hedgeTimer >= 0) {
      context.vertx().cancelTimer(hedgeTimer);
    }
  }

  private void cancelAppDeadline() {
    if (appDeadlineTimer >= 0) {
      context.vertx().cancelTimer(appDeadlineTimer);
      appDeadlineTimer = -1;
    }
  }

  private void answerFailure() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimers();
    replies.answerFailure();
  }

  void recordRequest(String upstream, int status, String outcome) {
    context.metrics().request(upstream, status, outcome, System.nanoTime() - startNanos);
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
