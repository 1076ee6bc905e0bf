package ai.holysheep.k8s.sidecar.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which namespaces may call: those in {@code namespaces}, plus, when {@code labelKey} is set, those
 * whose Namespace object carries {@code labelKey=labelValue} (looked up with a GET, kept for {@code
 * labelTtl}).
 */
public record AccessOptions(
    Set<String> namespaces, String labelKey, String labelValue, Duration labelTtl) {
  public static final String DEFAULT_LABEL = "holysheep.ai/injection=enabled";
  public static final Duration DEFAULT_LABEL_TTL = Duration.ofSeconds(30);

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  public AccessOptions {
    namespaces = Set.copyOf(namespaces);
    for (String namespace : namespaces) {
      if (namespace.length() > 63 || !NAMESPACE.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "allowed namespace \""
                + namespace
                + "\" is not a namespace name; allowed: lowercase letters, digits and '-'");
      }
    }
    if ((labelKey == null) != (labelValue == null)) {
      throw new IllegalArgumentException("labelKey and labelValue: set both or neither");
    }
    ReviewOptions.requirePositive("labelTtl", labelTtl);
  }

  /**
   * {@code namespaces} plus the label in {@code label}: {@code key=value}, or {@code none} to allow
   * only the listed namespaces.
   */
  public static AccessOptions of(Set<String> namespaces, String label) {
    Objects.requireNonNull(label, "label");
    if (label.equals("none")) {
      return new AccessOptions(namespaces, null, null, DEFAULT_LABEL_TTL);
    }
    int eq = label.indexOf('=');
    String key = eq < 0 ? "" : label.substring(0, eq);
    String value = eq < 0 ? "" : label.substring(eq + 1);
    if (!LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "--namespace-label: \""
              + label
              + "\" is not KEY=VALUE; e.g. "
              + DEFAULT_LABEL
              + ", or none to allow only the listed namespaces");
    }
    return new AccessOptions(namespaces, key, value, DEFAULT_LABEL_TTL);
  }

  public static AccessOptions defaults() {
    return of(Set.of(), DEFAULT_LABEL);
  }

  public boolean checksLabel() {
    return labelKey != null;
  }

  /** The label requirement as written, e.g. {@code holysheep.ai/injection=enabled}. */
  public String labelText() {
    return checksLabel() ? labelKey + "=" + labelValue : "none";
  }
}
