package ai.holysheep.k8s.e2e.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** A complete answer received by the test app. */
record Answer(int status, MultiMap headers, Buffer body) {
  String header(String name) {
    return headers.get(name);
  }

  String text() {
    return body.toString();
  }

  JsonObject json() {
    return body.toJsonObject();
  }

  String upstream() {
    return header("x-holysheep-upstream");
  }

  int attempts() {
    return Integer.parseInt(header("x-holysheep-attempts"));
  }
}
