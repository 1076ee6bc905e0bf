package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The few Kubernetes API calls the gateway makes, over Vert.x's HTTP client with the pod's
 * in-cluster credentials (no Kubernetes client library: the gateway is the sidecar's jar, which
 * stays small). Every call is bounded in time and in number in flight; a failure is an {@link
 * ApiFailure.KubeApiException} that says which way it failed.
 */
interface KubeApi {

  /**
   * @throws IllegalArgumentException when the CA file of an https server cannot be read
   */
  static KubeApi create(Vertx vertx, KubeApiOptions options) {
    return new VertxKubeApi(vertx, options);
  }

  /**
   * POSTs {@code body} to {@code path}; {@code action} says what the call is for in a 403 message
   * (e.g. "create tokenreviews").
   */
  Future<JsonObject> post(String path, JsonObject body, String action);

  /** GETs {@code path}; a 404 fails with {@link ApiFailure#NOT_FOUND}. */
  Future<JsonObject> get(String path, String action);

  Future<Void> close();
}
