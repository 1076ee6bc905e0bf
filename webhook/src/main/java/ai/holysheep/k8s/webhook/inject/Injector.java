package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
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

  /**
   * As {@link #inject}, but works on {@code pod} itself, which the caller owns and gives up (a pod
   * just decoded from a request): saves a deep copy per admission. Metadata other than annotations,
   * and the spec outside its containers and volumes, are left as they are.
   */
  default InjectionResult injectOwned(Pod pod, InjectionContext context) {
    return inject(pod, context);
  }

  /**
   * The JSON tree of a part of an injected pod that the injector built once and shares between pods
   * (the sidecar container, its volumes), or null: a patch need not serialize it again.
   */
  default JsonNode knownTree(Object part) {
    return null;
  }
}
