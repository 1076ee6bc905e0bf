package ai.holysheep.k8s.webhook.inject;

/** Which admission route asked: decides whether a pod without an explicit opt-in is injected. */
public enum Scope {
  /** {@code /mutate/namespace}: inject unless the pod says {@code holysheep.ai/inject: "false"}. */
  NAMESPACE,
  /** {@code /mutate/pod}: inject only a pod that says {@code holysheep.ai/inject: "true"}. */
  POD,
  /** The offline CLI: every pod is a candidate; an explicit {@code "false"} is still honoured. */
  OFFLINE
}
