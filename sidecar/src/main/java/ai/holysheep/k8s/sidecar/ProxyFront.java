package ai.holysheep.k8s.sidecar;

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
 * What stands in front of the proxy on its listeners: nothing for the sidecar (plain HTTP on
 * loopback, where only the pod's own apps can call), or the gateway's TLS listener that
 * authenticates every caller before the request reaches the proxy.
 */
public interface ProxyFront {

  /** The sidecar's front: the listener as configured, every request straight to the proxy. */
  static ProxyFront none() {
    return NoFront.INSTANCE;
  }

  /** The listener options, given the proxy's own (TLS, for instance, is added here). */
  HttpServerOptions serverOptions(HttpServerOptions proxyDefaults);

  /**
   * The handler the listeners run; it hands accepted requests to {@code proxy}, with the caller's
   * namespace when it knows it.
   */
  Handler<HttpServerRequest> handler(ProxyHandler proxy, MeterRegistry registry);

  /** Called once every listener is bound, with all of them (e.g. to reload their certificate). */
  Future<Void> start(Vertx vertx, List<HttpServer> servers);

  /** Releases timers and clients; the listeners themselves are closed by the server. */
  Future<Void> close();

  /** The plain front of the sidecar. */
  enum NoFront implements ProxyFront {
    INSTANCE;

    @Override
    public HttpServerOptions serverOptions(HttpServerOptions proxyDefaults) {
      return proxyDefaults;
    }

    @Override
    public Handler<HttpServerRequest> handler(ProxyHandler proxy, MeterRegistry registry) {
      return proxy;
    }

    @Override
    public Future<Void> start(Vertx vertx, List<HttpServer> servers) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
