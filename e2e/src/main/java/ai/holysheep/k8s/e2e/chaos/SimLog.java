package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every request the simulators received, gathered from their bounded logs before anything is lost:
 * a log is fetched whenever it has grown by {@link #FETCH_EVERY} since the last fetch (well under
 * the simulator's 10,000-record bound), right before its process is killed, and at the end. Fetches
 * overlap; records are merged on (upstream, process, request id, arrival time).
 */
public final class SimLog {
  /** New records after which a log is fetched again; at most half the simulator's bound. */
  public static final int FETCH_EVERY = 4000;

  private final AdminHttp http;
  private final Map<String, UpstreamRecord> records = new LinkedHashMap<>();
  private final Map<String, Integer> fetchedCount = new LinkedHashMap<>();
  private final Map<String, Integer> receivedCount = new LinkedHashMap<>();

  public SimLog(AdminHttp http) {
    this.http = http;
  }

  /** Fetches the log of {@code upstream} (process {@code incarnation}) when it grew enough. */
  public void fetchIfGrown(String upstream, int incarnation, String root) throws IOException {
    int received =
        http.await(HttpMethod.GET, root, "/_sim/stats", null).json().getInteger("requestsReceived");
    Integer fetched = fetchedCount.get(key(upstream, incarnation));
    if (fetched == null || received - fetched >= FETCH_EVERY) {
      fetch(upstream, incarnation, root);
    }
  }

  /** Fetches and merges the whole current log of {@code upstream}. */
  public synchronized void fetch(String upstream, int incarnation, String root) throws IOException {
    JsonObject log = http.await(HttpMethod.GET, root, "/_sim/requests", null).json();
    JsonArray list = log.getJsonArray("requests");
    for (int i = 0; i < list.size(); i++) {
      JsonObject r = list.getJsonObject(i);
      JsonArray ids = r.getJsonObject("headers").getJsonArray("x-request-id");
      String id = ids == null || ids.isEmpty() ? null : ids.getString(0);
      long at = Instant.parse(r.getString("receivedAt")).toEpochMilli();
      String dedupe = key(upstream, incarnation) + "|" + id + "|" + r.getString("receivedAt");
      records.putIfAbsent(
          dedupe,
          new UpstreamRecord(
              upstream, incarnation, id, r.getString("method"), r.getString("path"), at));
    }
    String key = key(upstream, incarnation);
    fetchedCount.put(key, log.getInteger("requestsReceived"));
    receivedCount.put(key, log.getInteger("requestsReceived"));
  }

  public synchronized List<UpstreamRecord> records() {
    return new ArrayList<>(records.values());
  }

  /** Per process ("primary#1"): requests its log had counted at the last fetch. */
  public synchronized Map<String, Integer> receivedCounts() {
    return new LinkedHashMap<>(receivedCount);
  }

  /** Per process: distinct records gathered (equal to the count unless some were lost). */
  public synchronized Map<String, Integer> gatheredCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (UpstreamRecord r : records.values()) {
      counts.merge(key(r.upstream(), r.incarnation()), 1, Integer::sum);
    }
    return counts;
  }

  static String key(String upstream, int incarnation) {
    return upstream + "#" + incarnation;
  }
}
