package ai.holysheep.k8s.sidecar.upstream;

import ai.holysheep.k8s.config.HolySheepConfig;
import ai.holysheep.k8s.config.UpstreamSpec;
import ai.holysheep.k8s.sidecar.config.KeyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The configured upstreams in priority order, with their pools and breakers. */
public final class Upstreams {
  private final List<Upstream> all;

  private Upstreams(List<Upstream> all) {
    this.all = List.copyOf(all);
  }

  public static Upstreams create(Vertx vertx, HolySheepConfig config, KeyStore keys, Clock clock) {
    return create(vertx, config, keys, clock, UpstreamPoolOptions.defaults());
  }

  public static Upstreams create(
      Vertx vertx, HolySheepConfig config, KeyStore keys, Clock clock, UpstreamPoolOptions pool) {
    List<Upstream> result = new ArrayList<>();
    List<UpstreamSpec> specs = config.upstreams();
    for (int i = 0; i < specs.size(); i++) {
      UpstreamSpec spec = specs.get(i);
      String field = i == 0 ? "baseUrl" : "fallbacks[" + (i - 1) + "].baseUrl";
      UpstreamTarget target = UpstreamTarget.parse(field, spec.baseUrl());
      result.add(
          new Upstream(
              spec,
              i,
              target,
              UpstreamPool.create(
                  vertx, spec.name(), target, spec.caFile(), spec.caPem(), config, pool),
              Breaker.create(spec.name(), config.circuitBreaker(), clock),
              keys,
              clock));
    }
    return new Upstreams(result);
  }

  public List<Upstream> all() {
    return all;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(all.size());
    for (Upstream upstream : all) {
      names.add(upstream.name());
    }
    return names;
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Upstream upstream : all) {
      closing.add(upstream.client().close());
    }
    return Future.join(closing).mapEmpty();
  }
}
