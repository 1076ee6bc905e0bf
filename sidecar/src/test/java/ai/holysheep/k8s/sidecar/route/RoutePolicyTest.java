package ai.holysheep.k8s.sidecar.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutePolicyTest {

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "POST   | /v1/chat/completions           | {}                                   | STATELESS",
        "POST   | /v1/completions                | {}                                   | STATELESS",
        "POST   | /v1/embeddings                 | {}                                   | STATELESS",
        "POST   | /v1/moderations                | {}                                   | STATELESS",
        "POST   | /v1/images/generations         | {}                                   | STATELESS",
        "POST   | /v1/audio/speech               | {}                                   | STATELESS",
        "POST   | /v1/audio/transcriptions       | bytes                                | STATELESS",
        "POST   | /v1/responses                  | {\"input\":\"x\"}                    | STATELESS",
        "POST   | /v1/responses                  | {\"store\":false}                    | STATELESS",
        "POST   | /v1/responses                  | {\"previous_response_id\":null}      | STATELESS",
        "POST   | /v1/responses                  | {\"store\": true}                    | STATEFUL",
        "POST   | /v1/responses                  | {\"previous_response_id\":\"resp_1\"} | STATEFUL",
        "POST   | /v1/responses                  | {\"conversation\":\"conv_1\"}        | STATEFUL",
        "POST   | /v1/responses                  | -                                    | STATEFUL",
        "POST   | /v1/responses                  | {\"input\":\"say \\\"store\\\": true\"} | STATELESS",
        "POST   | /v1/files                      | bytes                                | STATEFUL",
        "POST   | /v1/uploads/up_1/parts         | bytes                                | STATEFUL",
        "POST   | /v1/batches                    | {}                                   | STATEFUL",
        "POST   | /v1/threads/t/runs             | {}                                   | STATEFUL",
        "POST   | /v1/vector_stores              | {}                                   | STATEFUL",
        "POST   | /v1/fine_tuning/jobs           | {}                                   | STATEFUL",
        "POST   | /v1/conversations              | {}                                   | STATEFUL",
        "POST   | /v1/chat/completions/cc_1      | {}                                   | STATEFUL",
        "POST   | /v1/something/new              | {}                                   | STATEFUL",
        "DELETE | /v1/files/file-1               | -                                    | STATEFUL",
        "GET    | /v1/models                     | -                                    | READ_ONLY",
        "GET    | /v1/models/gpt-4o              | -                                    | READ_ONLY",
        "GET    | /v1/something/new              | -                                    | READ_ONLY",
        "GET    | /v1/files/file-1/content       | -                                    | STATEFUL_READ",
        "GET    | /v1/batches/batch_1            | -                                    | STATEFUL_READ",
        "GET    | /v1/responses/resp_1           | -                                    | STATEFUL_READ",
        "GET    | /v1/chat/completions           | -                                    | STATEFUL_READ",
      })
  void mapsEachRouteToItsClass(String method, String path, String body, RouteClass expected) {
    Buffer buffer = body == null ? null : Buffer.buffer(body);
    assertEquals(expected, RoutePolicy.of(HttpMethod.valueOf(method), path, buffer).routeClass());
  }

  @ParameterizedTest(name = "{0} {1} -> cached={2} usage={3} done={4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "POST | /v1/chat/completions     | true  | TOP_LEVEL | true",
        "POST | /v1/completions          | true  | TOP_LEVEL | true",
        "POST | /v1/embeddings           | true  | TOP_LEVEL | false",
        "GET  | /v1/models               | true  | NONE      | false",
        "GET  | /v1/models/m             | false | NONE      | false",
        "POST | /v1/responses            | false | RESPONSE  | false",
        "POST | /v1/images/generations   | false | TOP_LEVEL | false",
        "POST | /v1/audio/speech         | false | NONE      | false",
        "POST | /v1/files                | false | NONE      | false",
      })
  void eachRouteSaysWhetherItIsCachedAndWhereItsUsageIs(
      String method, String path, boolean cached, UsageSource usage, boolean done) {
    Route route = RoutePolicy.of(HttpMethod.valueOf(method), path, Buffer.buffer("{}"));
    assertEquals(cached, route.cacheable());
    assertEquals(usage, route.usage());
    assertEquals(done, route.endsWithDone());
  }
}
