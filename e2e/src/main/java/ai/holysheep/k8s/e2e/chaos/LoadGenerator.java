package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Open-loop load: request {@code n} is due at {@code start + n / rate} whatever happened to earlier
 * ones, so a slow or stalled proxy cannot lower the offered load (a closed loop would hide exactly
 * the failures chaos looks for); a generator that falls behind catches up in a burst and the lag is
 * reported. Every request gets its own {@code x-request-id} and ends in exactly one {@link
 * RequestOutcome}: an answer, a transport error, or the generator's own time-out.
 */
public final class LoadGenerator {
  /** Scheduling granularity of the send loop. */
  static final Duration TICK = Duration.ofMillis(5);

  /** Connections to the sidecar: every in-flight request needs one (HTTP/1.1). */
  static final int MAX_CONNECTIONS = 8192;

  /** Beyond this many unanswered requests the generator records NOT_SENT instead of sending. */
  static final int MAX_IN_FLIGHT = 8000;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int port;
  private final int rate;
  private final double streamShare;
  private final Duration bound;
  private final String runId;
  private final Consumer<RequestOutcome> sink;
  private final Promise<Void> drained = Promise.promise();
  private long startMillis;
  private long sent;
  private long streams;
  private int inFlight;
  private long maxLagMillis;
  private boolean stopped;
  private long timer = -1;
  private long rampMillis;

  public LoadGenerator(
      Vertx vertx,
      int port,
      int rate,
      double streamShare,
      Duration bound,
      String runId,
      Consumer<RequestOutcome> sink) {
    this.vertx = vertx;
    this.port = port;
    this.rate = rate;
    this.streamShare = streamShare;
    this.bound = bound;
    this.runId = runId;
    this.sink = sink;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(-1));
  }

  /**
   * Raises the rate linearly from 0 to {@code rate} over {@code ramp} before holding it (a soak
   * starts a cold sidecar this way, as traffic reaches a new pod), instead of starting at full
   * rate.
   */
  public LoadGenerator withRamp(Duration ramp) {
    rampMillis = ramp.toMillis();
    return this;
  }

  /** Starts sending; runs on a Vert.x event loop until {@link #stop()}. */
  public void start() {
    vertx.runOnContext(
        v -> {
          startMillis = System.currentTimeMillis();
          timer = vertx.setPeriodic(TICK.toMillis(), id -> tick());
        });
  }

  /** Stops sending; the future completes when every sent request has its outcome. */
  public Future<Void> stop() {
    vertx.runOnContext(
        v -> {
          stopped = true;
          vertx.cancelTimer(timer);
          if (inFlight == 0) {
            drained.tryComplete();
          }
        });
    return drained.future();
  }

  public long sent() {
    return sent;
  }

  /** The latest any request left after its scheduled time (generator or machine too slow). */
  public long maxLagMillis() {
    return maxLagMillis;
  }

  private void tick() {
    if (stopped) {
      return;
    }
    long now = System.currentTimeMillis();
    long due = due(now - startMillis);
    while (sent < due) {
      long seq = sent++;
      long scheduled = startMillis + scheduledAt(seq);
      maxLagMillis = Math.max(maxLagMillis, now - scheduled);
      boolean stream = Math.floor((seq + 1) * streamShare) > Math.floor(seq * streamShare);
      boolean includeUsage = stream && (streams++ % 2 == 0);
      String id = "chaos-" + runId + "-" + seq;
      if (inFlight >= MAX_IN_FLIGHT) {
        sink.accept(
            new RequestOutcome(
                id,
                seq,
                stream,
                scheduled,
                now,
                now,
                0,
                null,
                -1,
                Verdict.NOT_SENT,
                inFlight + " requests in flight"));
        continue;
      }
      inFlight++;
      send(new LoadRequest(id, seq, stream, includeUsage, scheduled), now);
    }
  }

  /** Requests due {@code elapsed} ms after the start: the integral of the (ramped) rate. */
  long due(long elapsed) {
    if (elapsed < rampMillis) {
      return (long) ((double) rate * elapsed * elapsed / (2_000.0 * rampMillis));
    }
    return (elapsed - rampMillis / 2) * rate / 1000;
  }

  /** When request {@code seq} is due, in ms after the start: the inverse of {@link #due}. */
  long scheduledAt(long seq) {
    double rampRequests = rate * rampMillis / 2_000.0;
    if (seq < rampRequests) {
      return (long) Math.sqrt(2_000.0 * rampMillis * seq / rate);
    }
    return seq * 1000 / rate + rampMillis / 2;
  }

  private void send(LoadRequest load, long now) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/v1/chat/completions")
            .putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer sk-app-placeholder")
            .putHeader("x-request-id", load.id());
    InFlightRequest request = new InFlightRequest(load, now, this::finish);
    long boundTimer = vertx.setTimer(bound.toMillis(), id -> request.timeOut());
    request.onFinish(() -> vertx.cancelTimer(boundTimer));
    client
        .request(options)
        .compose(
            r ->
                request.attach(r)
                    ? r.send(Buffer.buffer(load.body()))
                    : Future.failedFuture("timed out before a connection was free"))
        .onSuccess(request::onResponse)
        .onFailure(request::onFailure);
  }

  private void finish(RequestOutcome outcome) {
    inFlight--;
    sink.accept(outcome);
    if (stopped && inFlight == 0) {
      drained.tryComplete();
    }
  }

  public Future<Void> close() {
    return client.close();
  }
}
