package ai.holysheep.k8s.sidecar.gateway;

import java.util.Objects;

/** What the gateway decided about a caller: let it through, or turn it away saying why. */
sealed interface Verdict {

  /** An authenticated ServiceAccount; {@code namespace} is the tenant for access and metrics. */
  record Caller(String namespace, String serviceAccount) implements Verdict {
    public Caller {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(serviceAccount, "serviceAccount");
    }
  }

  /**
   * A rejection with a message for the caller; {@code namespace} is known for {@link
   * Rejection#NAMESPACE_NOT_ALLOWED} only (null otherwise). The message never holds the token.
   */
  record Denied(Rejection reason, String message, String namespace) implements Verdict {
    public Denied {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    static Denied of(Rejection reason, String message) {
      return new Denied(reason, message, null);
    }
  }
}
