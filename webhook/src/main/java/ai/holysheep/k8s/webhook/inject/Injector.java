package ai.holysheep.k8s.webhook.inject;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The pure injection function. It is an <em>ensure</em> function: it removes what an earlier pass
 * added, then adds it again, so {@code inject(inject(p)) == inject(p)}.
 */
public interface Injector {
  static Injector create(InjectorOptions options) {
    return new EnsureInjector(options);
  }

  /** Never mutates {@code pod}; an {@link InjectionResult.Injected} carries a new object. */
  InjectionResult inject(Pod pod, InjectionContext context);
}
