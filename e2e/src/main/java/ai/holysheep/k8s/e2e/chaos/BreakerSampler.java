package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls the sidecar's {@code /status} and keeps each upstream's breaker history: every state change
 * seen, and every distinct {@code openedAt} (the sidecar's own open time, exact even when an open
 * and a re-open fall between two samples). One poll at a time; a poll that fails is counted. The
 * slowest round trip is kept: the sidecar serves {@code /status} on the event loop that proxies, so
 * it bounds how long that loop went without running.
 */
public final class BreakerSampler {
  /** Time between two {@code /status} polls. */
  public static final Duration INTERVAL = Duration.ofMillis(100);

  /** One observed state change; {@code openedAt} is the sidecar's time for opens, else 0. */
  public record Transition(String upstream, long at, String from, String to, long openedAt) {}

  /** The last poll's view of one upstream. */
  public record Seen(long at, String breaker, long rateLimitedUntil) {}

  private final Vertx vertx;
  private final AdminHttp http;
  private final String adminRoot;
  private final Map<String, Seen> latest = new HashMap<>();
  private final Map<String, Long> lastOpenedAt = new HashMap<>();
  private final List<Transition> transitions = new ArrayList<>();
  private long timer = -1;
  private boolean polling;
  private int polls;
  private int failedPolls;
  private long slowestPoll;
  private long slowestPollAt;

  public BreakerSampler(Vertx vertx, AdminHttp http, String adminRoot) {
    this.vertx = vertx;
    this.http = http;
    this.adminRoot = adminRoot;
  }

  public void start() {
    timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> poll());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    long sent = System.currentTimeMillis();
    http.call(HttpMethod.GET, adminRoot, "/status", null)
        .onComplete(
            reply -> {
              polling = false;
              took(sent, System.currentTimeMillis() - sent);
              if (reply.succeeded() && reply.result().status() == 200) {
                record(System.currentTimeMillis(), reply.result().json().getJsonArray("upstreams"));
              } else {
                synchronized (this) {
                  failedPolls++;
                }
              }
            });
  }

  private synchronized void took(long sent, long millis) {
    if (millis > slowestPoll) {
      slowestPoll = millis;
      slowestPollAt = sent;
    }
  }

  private synchronized void record(long now, JsonArray upstreams) {
    polls++;
    for (int i = 0; i < upstreams.size(); i++) {
      JsonObject upstream = upstreams.getJsonObject(i);
      String name = upstream.getString("name");
      String state = upstream.getString("breaker");
      long limitedUntil = epoch(upstream.getString("rateLimitedUntil"));
      long openedAt = epoch(upstream.getString("openedAt"));
      Seen before = latest.put(name, new Seen(now, state, limitedUntil));
      String previous = before == null ? "closed" : before.breaker();
      Long knownOpen = lastOpenedAt.get(name);
      boolean newOpen = openedAt > 0 && (knownOpen == null || knownOpen != openedAt);
      if (newOpen) {
        lastOpenedAt.put(name, openedAt);
      }
      if (!state.equals(previous) || newOpen) {
        transitions.add(new Transition(name, now, previous, state, newOpen ? openedAt : 0));
      }
    }
  }

  private static long epoch(String instant) {
    return instant == null ? 0 : Instant.parse(instant).toEpochMilli();
  }

  /** The latest time {@code upstream} was seen opening at or after {@code since}, or -1. */
  public synchronized long openedSince(String upstream, long since) {
    long last = -1;
    for (Transition t : transitions) {
      long at = t.openedAt() > 0 ? t.openedAt() : t.to().equals("open") ? t.at() : -1;
      if (t.upstream().equals(upstream) && at >= since) {
        last = Math.max(last, at);
      }
    }
    return last;
  }

  public synchronized Seen latest(String upstream) {
    return latest.get(upstream);
  }

  public synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  public synchronized int polls() {
    return polls;
  }

  public synchronized int failedPolls() {
    return failedPolls;
  }

  /** The slowest {@code /status} round trip, in ms. */
  public synchronized long slowestPollMillis() {
    return slowestPoll;
  }

  /** When the slowest poll was sent, epoch ms. */
  public synchronized long slowestPollAt() {
    return slowestPollAt;
  }
}
