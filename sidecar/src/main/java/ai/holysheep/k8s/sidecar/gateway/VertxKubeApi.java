package ai.holysheep.k8s.sidecar.gateway;

import ai.holysheep.k8s.config.UpstreamSpec;
import ai.holysheep.k8s.sidecar.config.ApiKey;
import ai.holysheep.k8s.sidecar.config.KeyStore;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.net.ConnectException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

final class VertxKubeApi implements KubeApi {
  private final KubeApiOptions options;
  private final HttpClient client;
  private final KeyStore tokens;
  private final UpstreamSpec credentials;
  private final AtomicInteger inFlight = new AtomicInteger();

  VertxKubeApi(Vertx vertx, KubeApiOptions options) {
    this.options = options;
    boolean https = "https".equalsIgnoreCase(options.server().getScheme());
    HttpClientOptions http =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setConnectTimeout((int) options.timeout().toMillis())
            .setKeepAlive(true)
            .setKeepAliveTimeout(30)
            .setSsl(https)
            .setVerifyHost(true);
    if (https) {
      if (options.caFile() == null || !Files.isReadable(options.caFile())) {
        throw new IllegalArgumentException(
            "cannot read the Kubernetes API server's CA file " + options.caFile());
      }
      http.setTrustOptions(new PemTrustOptions().addCertPath(options.caFile().toString()));
    }
    this.client =
        vertx.createHttpClient(http, new PoolOptions().setHttp1MaxSize(options.maxInFlight()));
    // The token file is an upstream key file in all but name: re-read when the kubelet rotates it.
    this.tokens = KeyStore.create(options.tokenFile().getParent(), Map.of());
    this.credentials =
        new UpstreamSpec(
            "kubernetes",
            options.server().toString(),
            null,
            "HOLYSHEEP_KUBE_TOKEN",
            false,
            null,
            options.tokenFile().toString(),
            null,
            null);
  }

  @Override
  public Future<JsonObject> post(String path, JsonObject body, String action) {
    return call(HttpMethod.POST, path, body.toBuffer(), action);
  }

  @Override
  public Future<JsonObject> get(String path, String action) {
    return call(HttpMethod.GET, path, null, action);
  }

  private Future<JsonObject> call(HttpMethod method, String path, Buffer body, String action) {
    if (inFlight.incrementAndGet() > options.maxInFlight()) {
      inFlight.decrementAndGet();
      return Future.failedFuture(ApiFailure.OVERLOADED.exception(options.maxInFlight()));
    }
    ApiKey token = tokens.key(credentials);
    if (token == null) {
      inFlight.decrementAndGet();
      return Future.failedFuture(ApiFailure.NO_CREDENTIALS.exception(options.tokenFile()));
    }
    long timeoutMillis = options.timeout().toMillis();
    RequestOptions request =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(options.server().resolve(path).toString())
            .setIdleTimeout(timeoutMillis)
            .putHeader(HttpHeaders.AUTHORIZATION, token.authorizationHeader())
            .putHeader(HttpHeaders.ACCEPT, "application/json");
    if (body != null) {
      request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    return client
        .request(request)
        .compose(r -> exchange(r, body, action))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.failedFuture(classify(failure)))
        .andThen(done -> inFlight.decrementAndGet());
  }

  /**
   * Sends and asks for the body in one step that runs on the request's context: Vert.x drops a
   * response's body and end when nobody has asked for them yet, so {@code body()} must be asked for
   * in the same task that delivers the response, never in a step chained by the caller. Chained by
   * a caller off the event loop, that step waits for the caller's thread, which a loaded machine
   * can deschedule until the answer has gone by; the call then hung until its bound
   * (KubeApiIT#aCallerDescheduledBetweenSendingAndReadingStillGetsTheAnswer).
   */
  private static Future<JsonObject> exchange(
      HttpClientRequest request, Buffer body, String action) {
    return (body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(b -> answer(response.statusCode(), b, action)));
  }

  private static JsonObject answer(int status, Buffer body, String action) {
    switch (status / 100) {
      case 2 -> {
        try {
          return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
          throw ApiFailure.MALFORMED.exception(action);
        }
      }
      case 4 -> {
        throw switch (status) {
          case 401 -> ApiFailure.UNAUTHORIZED.exception();
          case 403 -> ApiFailure.FORBIDDEN.exception(action);
          case 404 -> ApiFailure.NOT_FOUND.exception(action);
          default -> ApiFailure.SERVER_ERROR.exception(status + " to " + action);
        };
      }
      default -> throw ApiFailure.SERVER_ERROR.exception(status + " to " + action);
    }
  }

  private Throwable classify(Throwable failure) {
    if (failure instanceof ApiFailure.KubeApiException known) {
      return known;
    }
    if (failure instanceof TimeoutException
        || failure instanceof io.netty.channel.ConnectTimeoutException) {
      return ApiFailure.TIMEOUT.exception(
          ai.holysheep.k8s.config.Durations.format(options.timeout()));
    }
    if (failure instanceof ConnectException) {
      return ApiFailure.CONNECT.exception(options.server(), failure.getMessage());
    }
    if (failure instanceof SSLException || failure instanceof DecoderException) {
      return ApiFailure.TLS.exception(options.server(), failure.getMessage());
    }
    return ApiFailure.CONNECT.exception(options.server(), String.valueOf(failure.getMessage()));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
