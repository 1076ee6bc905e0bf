package ai.holysheep.k8s.sidecar.config;

/**
 * An upstream API key. {@link #toString()} never shows the value, so a key that ends up in a log
 * message by mistake stays secret.
 */
public final class ApiKey {
  private final String bearer;
  private final KeySource source;

  ApiKey(String value, KeySource source) {
    this.bearer = "Bearer " + value;
    this.source = source;
  }

  /** The ready-made {@code Authorization} header value, built once per key version. */
  public String authorizationHeader() {
    return bearer;
  }

  public KeySource source() {
    return source;
  }

  @Override
  public String toString() {
    return "ApiKey[" + source + ", redacted]";
  }
}
