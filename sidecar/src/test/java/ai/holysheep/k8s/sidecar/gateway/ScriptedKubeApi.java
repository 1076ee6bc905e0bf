package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link KubeApi}: TokenReviews answered from a map of known tokens, namespaces from a
 * map of labels, or every call left pending / failed as the test says.
 */
class ScriptedKubeApi implements KubeApi {
  final Map<String, String> usernames = new ConcurrentHashMap<>();
  final Map<String, Map<String, String>> namespaces = new ConcurrentHashMap<>();
  final List<Promise<JsonObject>> pending = new ArrayList<>();
  int reviews;
  int namespaceGets;
  boolean hold;
  ApiFailure.KubeApiException failure;
  ApiFailure.KubeApiException namespaceFailure;

  @Override
  public Future<JsonObject> post(String path, JsonObject body, String action) {
    reviews++;
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (hold) {
      Promise<JsonObject> promise = Promise.promise();
      pending.add(promise);
      return promise.future();
    }
    return Future.succeededFuture(answer(body.getJsonObject("spec")));
  }

  JsonObject answer(JsonObject spec) {
    String username = usernames.get(spec.getString("token"));
    JsonObject status = new JsonObject().put("authenticated", username != null);
    if (username != null) {
      status
          .put("audiences", new JsonArray(spec.getJsonArray("audiences").getList()))
          .put("user", new JsonObject().put("username", username));
    }
    return new JsonObject().put("status", status);
  }

  @Override
  public Future<JsonObject> get(String path, String action) {
    namespaceGets++;
    if (namespaceFailure != null) {
      return Future.failedFuture(namespaceFailure);
    }
    Map<String, String> labels = namespaces.get(path.substring(path.lastIndexOf('/') + 1));
    if (labels == null) {
      return Future.failedFuture(ApiFailure.NOT_FOUND.exception(action));
    }
    return Future.succeededFuture(
        new JsonObject()
            .put("metadata", new JsonObject().put("labels", new JsonObject(Map.copyOf(labels)))));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
