package ai.holysheep.k8s.sidecar.cache;

/**
 * Builds {@code holysheep:v1:<namespace>:<upstream>:<route>:<bodyHash>}. Namespaces and upstream
 * names cannot hold ':' (Kubernetes and config validation), so keys of different namespaces never
 * collide. The method is left out: each cacheable route has exactly one cacheable method. A request
 * scoped to a tenant (the caller's namespace, in the gateway) uses it in place of the pod's.
 */
final class CacheKeys {
  private final String namespacePrefix;

  CacheKeys(String podNamespace) {
    String namespace =
        podNamespace == null || podNamespace.isBlank()
            ? CacheDefaults.NAMESPACE_WHEN_UNSET
            : podNamespace.strip();
    this.namespacePrefix = CacheDefaults.KEY_PREFIX + namespace + ":";
  }

  String key(CacheableRequest request, String upstream) {
    String prefix =
        request.scope() == null
            ? namespacePrefix
            : CacheDefaults.KEY_PREFIX + request.scope() + ":";
    return prefix + upstream + ":" + request.route() + ":" + request.bodyHash();
  }
}
