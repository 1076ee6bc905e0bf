package ai.holysheep.k8s.sidecar.route;

import ai.holysheep.k8s.sidecar.json.JsonBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.Set;

/**
 * The route policy: one table that says, for each OpenAI route, whether it is stateless or
 * stateful, when it is replayed, whether it is cached and where its usage is. The attempt loop, the
 * failure classification, the stale cache and the tokens metric all read it from here.
 *
 * <table>
 *   <caption>routes</caption>
 *   <tr><th>route</th><th>class</th><th>cached</th><th>usage</th></tr>
 *   <tr><td>POST chat/completions, completions</td><td>stateless</td><td>yes</td><td>top level,
 *       final SSE chunk; streams end with [DONE]</td></tr>
 *   <tr><td>POST embeddings</td><td>stateless</td><td>yes</td><td>top level</td></tr>
 *   <tr><td>POST moderations, images/*, audio/*</td><td>stateless</td><td>no</td><td>top level
 *       (none for moderations, audio/speech)</td></tr>
 *   <tr><td>POST responses</td><td>stateless; stateful with store: true, previous_response_id or
 *       conversation</td><td>no</td><td>response.usage</td></tr>
 *   <tr><td>GET models, models/{id}, other GETs</td><td>read-only</td><td>GET models</td><td>-</td></tr>
 *   <tr><td>GET of files, batches, assistants, threads, … (objects of one account)</td>
 *       <td>stateful read</td><td>no</td><td>-</td></tr>
 *   <tr><td>anything else (files, uploads, batches, assistants, threads, vector_stores,
 *       fine_tuning, conversations, …) and unknown routes</td><td>stateful</td><td>no</td>
 *       <td>-</td></tr>
 * </table>
 *
 * Lookups are a map get on the path after {@code /v1/}: no regular expression, no JSON parse (the
 * Responses API's state flags are byte scans).
 */
public final class RoutePolicy {
  /** Routes not in the table: stateful (a write we do not know may create an object). */
  public static final Route UNKNOWN_WRITE =
      new Route("other", RouteClass.STATEFUL, false, UsageSource.NONE, false, false);

  public static final Route UNKNOWN_READ =
      new Route("other", RouteClass.READ_ONLY, false, UsageSource.NONE, false, false);

  private static final Route OBJECT_READ =
      new Route("object", RouteClass.STATEFUL_READ, false, UsageSource.NONE, false, false);

  private static final Map<String, Route> POSTS =
      Map.ofEntries(
          stateless("chat/completions", true, UsageSource.TOP_LEVEL, true),
          stateless("completions", true, UsageSource.TOP_LEVEL, true),
          stateless("embeddings", true, UsageSource.TOP_LEVEL, false),
          stateless("moderations", false, UsageSource.NONE, false),
          stateless("images/generations", false, UsageSource.TOP_LEVEL, false),
          stateless("images/edits", false, UsageSource.TOP_LEVEL, false),
          stateless("images/variations", false, UsageSource.TOP_LEVEL, false),
          stateless("audio/speech", false, UsageSource.NONE, false),
          stateless("audio/transcriptions", false, UsageSource.TOP_LEVEL, false),
          stateless("audio/translations", false, UsageSource.TOP_LEVEL, false),
          Map.entry(
              "responses",
              new Route(
                  "responses", RouteClass.STATELESS, false, UsageSource.RESPONSE, false, false)));

  private static final Route MODELS =
      new Route("models", RouteClass.READ_ONLY, true, UsageSource.NONE, false, false);

  /** First path segments under which objects of one provider account live. */
  private static final Set<String> ACCOUNT_OBJECTS =
      Set.of(
          "files",
          "uploads",
          "batches",
          "assistants",
          "threads",
          "vector_stores",
          "fine_tuning",
          "responses",
          "conversations",
          "chat",
          "containers",
          "evals",
          "realtime");

  private static final byte[] STORE = JsonBytes.quoted("store");
  private static final byte[] PREVIOUS_RESPONSE_ID = JsonBytes.quoted("previous_response_id");
  private static final byte[] CONVERSATION = JsonBytes.quoted("conversation");

  private RoutePolicy() {}

  /**
   * The route of a request.
   *
   * @param path the request path starting with {@code /v1/}, without query
   * @param body the buffered body, or null when it streams through (a Responses call then counts as
   *     stateful: its flags cannot be read)
   */
  public static Route of(HttpMethod method, String path, Buffer body) {
    String route = path.startsWith("/v1/") ? path.substring(4) : path;
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      if (route.equals("models") || route.startsWith("models/")) {
        return route.length() == 6 && method == HttpMethod.GET ? MODELS : UNKNOWN_READ;
      }
      return ACCOUNT_OBJECTS.contains(firstSegment(route)) ? OBJECT_READ : UNKNOWN_READ;
    }
    if (method != HttpMethod.POST) {
      return UNKNOWN_WRITE;
    }
    Route known = POSTS.get(route);
    if (known == null) {
      return UNKNOWN_WRITE;
    }
    if (known.usage() == UsageSource.RESPONSE && responseHasState(body)) {
      return known.withClass(RouteClass.STATEFUL);
    }
    return known;
  }

  /** The Responses API keeps state when asked to store it or to continue earlier state. */
  static boolean responseHasState(Buffer body) {
    return body == null
        || JsonBytes.isTrue(body, STORE)
        || JsonBytes.hasValue(body, PREVIOUS_RESPONSE_ID)
        || JsonBytes.hasValue(body, CONVERSATION);
  }

  private static String firstSegment(String route) {
    int slash = route.indexOf('/');
    return slash < 0 ? route : route.substring(0, slash);
  }

  private static Map.Entry<String, Route> stateless(
      String name, boolean cacheable, UsageSource usage, boolean chatLike) {
    return Map.entry(
        name, new Route(name, RouteClass.STATELESS, cacheable, usage, chatLike, chatLike));
  }
}
