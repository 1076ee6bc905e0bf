package ai.holysheep.k8s.e2e.gateway;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The fabric8 mock API server over HTTPS in expectations mode, answering the gateway's two calls as
 * the real one does: TokenReviews from a table of known tokens (audience-aware: {@code
 * status.audiences} echoes the requested audience the token was issued for), namespaces with their
 * labels. Every TokenReview it received is kept for assertions.
 */
final class MockApiServerTokenReviews implements AutoCloseable {
  static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

  /** A TokenReview as received: the caller's credentials and the review it posted. */
  record Review(String authorization, JsonObject body) {}

  /** What the API server knows about a token. */
  record Identity(String username, List<String> audiences) {}

  /** How the next TokenReviews are answered. */
  enum Mode {
    ANSWER,
    /** 500 with a Status body. */
    SERVER_ERROR,
    /** 403: the gateway's ServiceAccount may not create tokenreviews. */
    FORBIDDEN
  }

  private final KubernetesMockServer server = new KubernetesMockServer(true);
  private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
  private final List<Review> reviews = new CopyOnWriteArrayList<>();

  /** The mock's request body can be read once; both reply methods see it through this. */
  private final Map<RecordedRequest, Review> received = new ConcurrentHashMap<>();

  private volatile Mode mode = Mode.ANSWER;

  /**
   * Starts on loopback; with {@code delay} non-zero every TokenReview is answered that late (an API
   * server under load).
   */
  MockApiServerTokenReviews(long delaySeconds) {
    server.init(InetAddress.getLoopbackAddress(), 0);
    var post = server.expect().post();
    (delaySeconds > 0 ? post.delay(delaySeconds, TimeUnit.SECONDS) : post)
        .withPath(PATH)
        .andReply(new Reviews())
        .always();
  }

  /** Its HTTPS address, by the name its self-signed certificate is for. */
  URI uri() {
    return URI.create("https://localhost:" + server.getPort());
  }

  /** The PEM file of the self-signed certificate it serves (the gateway's CA file). */
  Path caFile() {
    return Path.of(server.getSelfSignedCertificate().certificatePath());
  }

  void knows(String token, String username, List<String> audiences) {
    tokens.put(token, new Identity(username, audiences));
  }

  void namespace(String name, Map<String, String> labels) {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + name)
        .andReturn(
            200,
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .always();
  }

  void mode(Mode value) {
    mode = value;
  }

  /** TokenReviews received so far. */
  List<Review> reviews() {
    return reviews;
  }

  @Override
  public void close() {
    server.destroy();
  }

  private final class Reviews implements ResponseProvider<Object> {
    private Headers headers = Headers.builder().add("Content-Type", "application/json").build();

    @Override
    public int getStatusCode(RecordedRequest request) {
      review(request);
      return switch (mode) {
        case ANSWER -> 201;
        case SERVER_ERROR -> 500;
        case FORBIDDEN -> 403;
      };
    }

    @Override
    public Object getBody(RecordedRequest request) {
      if (mode != Mode.ANSWER) {
        return new JsonObject()
            .put("kind", "Status")
            .put("status", "Failure")
            .put("code", mode == Mode.FORBIDDEN ? 403 : 500)
            .encode();
      }
      JsonObject review = review(request).body().copy();
      JsonObject spec = review.getJsonObject("spec");
      Identity identity = tokens.get(spec.getString("token"));
      JsonArray wanted = spec.getJsonArray("audiences", new JsonArray());
      List<Object> matched =
          identity == null
              ? List.of()
              : wanted.stream().filter(identity.audiences()::contains).toList();
      JsonObject status = new JsonObject();
      if (identity == null || (!wanted.isEmpty() && matched.isEmpty())) {
        status.put("authenticated", false).put("error", "token not valid for these audiences");
      } else {
        status
            .put("authenticated", true)
            .put("user", new JsonObject().put("username", identity.username()))
            .put("audiences", new JsonArray(matched));
      }
      return review.put("status", status).encode();
    }

    private Review review(RecordedRequest request) {
      return received.computeIfAbsent(
          request,
          r -> {
            Review review =
                new Review(r.getHeader("Authorization"), new JsonObject(r.getUtf8Body()));
            reviews.add(review);
            return review;
          });
    }

    @Override
    public Headers getHeaders() {
      return headers;
    }

    @Override
    public void setHeaders(Headers value) {
      headers = value;
    }
  }
}
