package ai.holysheep.k8s.webhook.inject;

/** The pod cannot be injected as it stands; the message tells the user what to change. */
final class InvalidPodException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidPodException(String message) {
    super(message);
  }
}
