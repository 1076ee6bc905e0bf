package ai.holysheep.k8s.sidecar.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestClassifierTest {
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @ParameterizedTest(name = "{0} {1} body={2} cache-control={3} -> cacheable={4}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "POST | /v1/chat/completions          | {\"model\":\"m\"}                  | -                 | true",
        "POST | /v1/completions               | {\"model\":\"m\",\"prompt\":\"x\"} | -                 | true",
        "POST | /v1/embeddings                | {\"input\":\"x\"}                  | -                 | true",
        "GET  | /v1/models                    | -                                  | -                 | true",
        "GET  | /v1/models?limit=5            | -                                  | -                 | true",
        "POST | /v1/chat/completions          | not json at all                    | -                 | true",
        "POST | /v1/chat/completions          | {\"stream\":false}                 | -                 | true",
        "POST | /v1/chat/completions          | {\"stream\":true}                  | -                 | false",
        "POST | /v1/completions               | {\"prompt\":\"x\",\"stream\":true} | -                 | false",
        "POST | /v1/chat/completions          | {\"model\":\"m\"}                  | no-store          | false",
        "POST | /v1/chat/completions          | {\"model\":\"m\"}                  | max-age=0, NO-STORE | false",
        "POST | /v1/chat/completions          | {\"model\":\"m\"}                  | no-cache          | true",
        "GET  | /v1/models                    | -                                  | no-store          | false",
        "GET  | /v1/chat/completions          | -                                  | -                 | false",
        "POST | /v1/models                    | -                                  | -                 | false",
        "GET  | /v1/models/gpt-4o             | -                                  | -                 | false",
        "DELETE | /v1/models/ft-1             | -                                  | -                 | false",
        "POST | /v1/files                     | file bytes                         | -                 | false",
        "GET  | /v1/files/file-1/content      | -                                  | -                 | false",
        "POST | /v1/batches                   | {\"input_file_id\":\"f\"}          | -                 | false",
        "POST | /v1/responses                 | {\"model\":\"m\"}                  | -                 | false",
        "POST | /v1/audio/transcriptions      | bytes                              | -                 | false",
        "POST | /v1/images/generations        | {\"prompt\":\"x\"}                 | -                 | false",
        "POST | /v1/chat/completions/extra    | {\"model\":\"m\"}                  | -                 | false",
        "PUT  | /v1/chat/completions          | {\"model\":\"m\"}                  | -                 | false",
      })
  void classifiesOnlyNonStreamingReadsOfTheModelApi(
      String method, String path, String body, String cacheControl, boolean cacheable) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (cacheControl != null) {
      headers.add("cache-control", cacheControl);
    }
    CacheableRequest request =
        RequestClassifier.classify(
            HttpMethod.valueOf(method),
            path,
            headers,
            body == null ? Buffer.buffer() : Buffer.buffer(body));
    assertEquals(cacheable, request != null);
  }

  @Test
  void routeLeavesTheQueryOutButTheKeyMaterialIncludesIt() {
    CacheableRequest plain = classifyGet("/v1/models");
    CacheableRequest withQuery = classifyGet("/v1/models?api-key=secret");
    assertEquals("/v1/models", withQuery.route());
    assertNotEquals(plain.bodyHash(), withQuery.bodyHash());
    assertEquals(withQuery.bodyHash(), classifyGet("/v1/models?api-key=secret").bodyHash());
  }

  @Test
  void aMissingMethodOrPathIsNotCacheable() {
    assertNull(RequestClassifier.classify(null, "/v1/models", null, null));
    assertNull(RequestClassifier.classify(HttpMethod.GET, null, null, null));
    assertNotNull(RequestClassifier.classify(HttpMethod.POST, "/v1/embeddings", null, null));
  }

  @Test
  void keepsRouteAndMethod() {
    CacheableRequest request =
        RequestClassifier.classify(
            HttpMethod.POST,
            "/v1/chat/completions",
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(CHAT));
    assertEquals("/v1/chat/completions", request.route());
    assertEquals(HttpMethod.POST, request.method());
    assertEquals(64, request.bodyHash().length());
  }

  private static CacheableRequest classifyGet(String path) {
    return RequestClassifier.classify(
        HttpMethod.GET, path, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer());
  }
}
