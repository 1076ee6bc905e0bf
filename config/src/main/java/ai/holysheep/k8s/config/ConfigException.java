package ai.holysheep.k8s.config;

import java.util.List;

/**
 * An invalid configuration: one message per bad field, each naming the field path, the value and
 * what is allowed. Messages never contain secrets.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super(String.join("\n", requireSome(errors)));
    this.errors = List.copyOf(errors);
  }

  public ConfigException(String error) {
    this(List.of(error));
  }

  /** One message per bad field, in the order the fields appear in the schema. */
  public List<String> errors() {
    return errors;
  }

  private static List<String> requireSome(List<String> errors) {
    if (errors == null || errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    return errors;
  }
}
