package ai.holysheep.k8s.sidecar.config;

/** Where an upstream's key came from; shown in /status instead of the key. */
public enum KeySource {
  FILE,
  ENV,
  MISSING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
