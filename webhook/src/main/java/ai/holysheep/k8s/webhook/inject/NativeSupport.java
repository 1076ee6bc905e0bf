package ai.holysheep.k8s.webhook.inject;

/**
 * Whether every kubelet that may run a pod supports native sidecars (init containers with
 * restartPolicy Always).
 */
public enum NativeSupport {
  /** Every candidate node runs kubelet 1.29 or newer. */
  ALL_NATIVE,
  /** At least one candidate node runs an older kubelet. */
  NOT_ALL_NATIVE,
  /** Not known (no nodes seen yet, or a version that could not be parsed). */
  UNKNOWN
}
