package ai.holysheep.k8s.sidecar.gateway;

import ai.holysheep.k8s.sidecar.ProxyFront;
import ai.holysheep.k8s.sidecar.proxy.ProxyHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Gateway mode: the proxy's listeners speak TLS 1.2/1.3 with a reloadable certificate, and every
 * request passes {@link GatewayHandler} (ServiceAccount token, TokenReview, namespace access)
 * before the proxy sees it.
 *
 * <p>HTTP/1.1 only, on purpose: a Kubernetes Service balances connections, not requests. Callers
 * (sidecars) open a connection per concurrent request, which spreads load over the replicas and
 * lets replicas added by the HPA take new connections; HTTP/2 would pin each sidecar's traffic to
 * one replica.
 */
public final class GatewayFront implements ProxyFront {
  private final Vertx vertx;
  private final GatewayOptions options;
  private final KubeApi api;
  private final CertificateReload certificates;

  private GatewayFront(Vertx vertx, GatewayOptions options, KubeApi api, ServingCertificate cert) {
    this.vertx = vertx;
    this.options = options;
    this.api = api;
    this.certificates = new CertificateReload(vertx, options.tls(), cert);
  }

  /**
   * Reads the certificate and sets up the API client; blocking (file reads), call it at start-up.
   *
   * @throws IllegalArgumentException naming the file or setting that is unusable
   */
  public static GatewayFront create(Vertx vertx, GatewayOptions options) {
    ServingCertificate certificate = ServingCertificate.load(vertx, options.tls());
    return new GatewayFront(vertx, options, KubeApi.create(vertx, options.kubeApi()), certificate);
  }

  @Override
  public HttpServerOptions serverOptions(HttpServerOptions proxyDefaults) {
    HttpServerOptions tls = new HttpServerOptions(proxyDefaults);
    tls.setSsl(true)
        .setUseAlpn(false)
        .setTcpKeepAlive(true)
        .setKeyCertOptions(certificates.current().sslOptions().getKeyCertOptions())
        .setEnabledSecureTransportProtocols(GatewayTlsOptions.PROTOCOLS);
    return tls;
  }

  @Override
  public Handler<HttpServerRequest> handler(ProxyHandler proxy, MeterRegistry registry) {
    GatewayMetrics metrics = new GatewayMetrics(registry, options.metricNamespaces());
    metrics.certificateExpiry(certificates::notAfter, options.clock());
    NamespaceAccess namespaces =
        new NamespaceAccess(api, options.access(), options.review(), options.clock(), metrics);
    CallerAuthenticator authenticator =
        new CallerAuthenticator(
            options.review(),
            new TokenReviewer(api, options.review().audience()),
            namespaces,
            metrics,
            options.clock());
    return new GatewayHandler(authenticator, proxy, metrics);
  }

  @Override
  public Future<Void> start(Vertx ignored, List<HttpServer> servers) {
    certificates.start(servers);
    return Future.succeededFuture();
  }

  /** Re-reads the certificate files now (tests; production ticks on a timer). */
  public Future<Boolean> reloadCertificate() {
    return certificates.tick();
  }

  @Override
  public Future<Void> close() {
    certificates.stop();
    return api.close();
  }

  @Override
  public String toString() {
    return "GatewayFront[audience="
        + options.review().audience()
        + ", namespaces="
        + options.access().namespaces()
        + ", label="
        + options.access().labelText()
        + ", api="
        + options.kubeApi().server()
        + "]";
  }
}
