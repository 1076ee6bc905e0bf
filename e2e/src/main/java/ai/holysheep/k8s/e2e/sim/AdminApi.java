package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The simulator's own control endpoints under {@code /_sim/}: set, show and clear the fault; list
 * and clear recorded requests; counters. Never recorded, never subject to a fault.
 */
final class AdminApi {
  static final String PREFIX = "/_sim/";

  /** Fault JSON is tiny; anything larger is a mistake (64 KiB). */
  static final int MAX_ADMIN_BODY_BYTES = 64 * 1024;

  private final Simulator simulator;

  AdminApi(Simulator simulator) {
    this.simulator = simulator;
  }

  void handle(HttpServerRequest request) {
    String route = request.path().substring(PREFIX.length());
    HttpMethod method = request.method();
    if (route.equals("fault") && method == HttpMethod.POST) {
      request
          .body()
          .onSuccess(body -> setFault(request, body.toString()))
          .onFailure(e -> reply(request, 400, error("could not read the body: " + e)));
    } else if (route.equals("fault") && method == HttpMethod.DELETE) {
      simulator.clearFault();
      request.response().setStatusCode(204).end();
    } else if (route.equals("fault") && method == HttpMethod.GET) {
      Fault fault = simulator.fault();
      reply(request, 200, new JsonObject().put("fault", fault == null ? null : fault.toJson()));
    } else if (route.equals("requests") && method == HttpMethod.GET) {
      listRequests(request);
    } else if (route.equals("requests") && method == HttpMethod.DELETE) {
      simulator.clearReceived();
      request.response().setStatusCode(204).end();
    } else if (route.equals("stats") && method == HttpMethod.GET) {
      reply(request, 200, stats());
    } else {
      reply(
          request,
          404,
          error(
              method
                  + " "
                  + request.path()
                  + " is not a simulator endpoint; use POST|GET|DELETE /_sim/fault,"
                  + " GET|DELETE /_sim/requests, GET /_sim/stats"));
    }
  }

  /**
   * {@code GET /_sim/requests[?since=N]}: the kept requests numbered N and up, and {@code next}.
   */
  private void listRequests(HttpServerRequest request) {
    String since = request.getParam("since");
    long from;
    try {
      from = since == null ? 0 : Long.parseLong(since);
      if (from < 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      reply(request, 400, error("since: \"" + since + "\" is not a whole number of 0 or more"));
      return;
    }
    RequestLog.Page page = simulator.requestLog().page(from);
    JsonArray requests = new JsonArray();
    page.requests().forEach(r -> requests.add(r.toJson()));
    reply(request, 200, stats().put("next", page.next()).put("requests", requests));
  }

  private void setFault(HttpServerRequest request, String body) {
    if (body.length() > MAX_ADMIN_BODY_BYTES) {
      reply(request, 413, error("fault JSON above " + MAX_ADMIN_BODY_BYTES + " bytes"));
      return;
    }
    try {
      Fault fault = Fault.fromJson(new JsonObject(body));
      simulator.setFault(fault);
      reply(request, 200, new JsonObject().put("fault", fault.toJson()));
    } catch (DecodeException | ClassCastException e) {
      reply(request, 400, error("the body is not a JSON object, e.g. {\"status\":503}"));
    } catch (IllegalArgumentException e) {
      reply(request, 400, error(e.getMessage()));
    }
  }

  private JsonObject stats() {
    return new JsonObject()
        .put("name", simulator.name())
        .put("requestsReceived", simulator.requestCount())
        .put("connectionsAccepted", simulator.connectionsAccepted())
        .put("cancelledRequests", simulator.cancelledRequests());
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message));
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
