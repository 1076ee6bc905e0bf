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
 * Every request the simulators received, read from their logs a page at a time: {@code GET
 * /_sim/requests?since=N} returns the requests numbered N and up and the number to ask from next,
 * so each read is small (after every phase, right before a kill, at the end) and every request is
 * read exactly once. A gap between the number asked for and the first one returned means the
 * simulator's bounded log dropped requests before they were read; it is counted as lost.
 */
public final class SimLog {
  private final AdminHttp http;
  private final List<UpstreamRecord> records = new ArrayList<>();
  private final Map<String, Long> next = new LinkedHashMap<>();
  private final Map<String, Long> lost = new LinkedHashMap<>();

  public SimLog(AdminHttp http) {
    this.http = http;
  }

  /**
   * Reads the requests {@code upstream} (process {@code incarnation}) received since the last read.
   */
  public synchronized void read(String upstream, int incarnation, String root) throws IOException {
    String key = key(upstream, incarnation);
    long since = next.getOrDefault(key, 0L);
    AdminHttp.Reply reply = http.await(HttpMethod.GET, root, "/_sim/requests?since=" + since, null);
    if (reply.status() != 200) {
      throw new IOException(root + "/_sim/requests: " + reply.status() + " " + reply.body());
    }
    JsonObject page = reply.json();
    JsonArray list = page.getJsonArray("requests");
    for (int i = 0; i < list.size(); i++) {
      JsonObject r = list.getJsonObject(i);
      JsonArray ids = r.getJsonObject("headers").getJsonArray("x-request-id");
      records.add(
          new UpstreamRecord(
              upstream,
              incarnation,
              ids == null || ids.isEmpty() ? null : ids.getString(0),
              r.getString("method"),
              r.getString("path"),
              Instant.parse(r.getString("receivedAt")).toEpochMilli()));
    }
    long upTo = page.getLong("next");
    lost.merge(key, upTo - since - list.size(), Long::sum);
    next.put(key, upTo);
  }

  public synchronized List<UpstreamRecord> records() {
    return new ArrayList<>(records);
  }

  /** Per process ("primary#1"): requests it counted up to the last read. */
  public synchronized Map<String, Long> counted() {
    return new LinkedHashMap<>(next);
  }

  /** Per process: requests its bounded log dropped before they were read. */
  public synchronized Map<String, Long> lost() {
    return new LinkedHashMap<>(lost);
  }

  static String key(String upstream, int incarnation) {
    return upstream + "#" + incarnation;
  }
}
