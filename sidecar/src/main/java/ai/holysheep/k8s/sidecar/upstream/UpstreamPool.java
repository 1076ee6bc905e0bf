package ai.holysheep.k8s.sidecar.upstream;

import ai.holysheep.k8s.config.HolySheepConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.List;

/** The HTTP client of one upstream: pool sizes chosen for long-lived streams. */
final class UpstreamPool {
  /** An idle pooled keep-alive connection is closed after this long. */
  static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(60);

  private static final System.Logger LOG = System.getLogger(UpstreamPool.class.getName());

  private UpstreamPool() {}

  static HttpClientAgent create(
      Vertx vertx,
      String name,
      UpstreamTarget target,
      String caFile,
      String caPem,
      HolySheepConfig config,
      UpstreamPoolOptions sizes) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setName("holysheep-upstream-" + name)
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setKeepAlive(true)
            .setKeepAliveTimeout((int) KEEP_ALIVE_TIMEOUT.toSeconds())
            .setHttp2KeepAliveTimeout((int) KEEP_ALIVE_TIMEOUT.toSeconds())
            .setTcpNoDelay(true)
            .setDecompressionSupported(true)
            .setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE);
    if (target.ssl()) {
      options
          .setSsl(true)
          .setVerifyHost(true)
          .setSslHandshakeTimeout(config.connectTimeout().toMillis())
          .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
          .setUseAlpn(true)
          .setProtocolVersion(HttpVersion.HTTP_2)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
      TrustOptions trust = UpstreamTls.trustFor(caFile, caPem);
      if (trust != null) {
        options.setTrustOptions(trust);
      }
    } else {
      options.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    PoolOptions pool =
        new PoolOptions()
            .setHttp1MaxSize(sizes.http1MaxConnections())
            .setHttp2MaxSize(sizes.http2MaxConnections())
            .setMaxWaitQueueSize(sizes.maxWaitQueue());
    // A connection the upstream resets (a crash, a restart, an idle one dropped) is a fault the
    // proxy handles: the call on it fails over, an idle one leaves the pool. Without a handler
    // Vert.x logs each one as a SEVERE unhandled exception.
    return vertx
        .httpClientBuilder()
        .with(options)
        .with(pool)
        .withConnectHandler(
            connection ->
                connection.exceptionHandler(
                    failure ->
                        LOG.log(
                            System.Logger.Level.DEBUG,
                            "upstream {0}: connection error: {1}",
                            name,
                            failure.toString())))
        .build();
  }
}
