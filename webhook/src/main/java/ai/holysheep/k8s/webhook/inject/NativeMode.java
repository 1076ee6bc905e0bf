package ai.holysheep.k8s.webhook.inject;

/**
 * The {@code holysheep.ai/native-sidecar} annotation (and the CLI/server flag of the same name).
 */
public enum NativeMode {
  AUTO,
  TRUE,
  FALSE;

  /** Null when {@code text} is not one of {@code auto}, {@code true}, {@code false}. */
  public static NativeMode parse(String text) {
    return switch (text) {
      case "auto" -> AUTO;
      case "true" -> TRUE;
      case "false" -> FALSE;
      default -> null;
    };
  }
}
