package ai.holysheep.k8s.config;

import java.util.List;

/** Reads a {@code {name, key}} Secret reference. */
final class SecretRefs {
  static final List<String> FIELDS = List.of("name", "key");

  private SecretRefs() {}

  /**
   * The reference in {@code field} of {@code parent}. Absent: {@code fallback} when given, else an
   * error when {@code requiredWhy} is not null, else null. Missing sub-fields take {@code
   * fallback}'s, or are errors when there is no fallback.
   */
  static SecretKeyRef read(
      ObjectReader parent, String field, SecretKeyRef fallback, String requiredWhy) {
    ObjectReader ref =
        ObjectReader.of(parent.value(field), parent.path(field), parent.problems(), FIELDS);
    if (!ref.present()) {
      if (fallback == null && requiredWhy != null && !parent.problems().has(parent.path(field))) {
        parent.bad(field, "missing; required: {name, key} of " + requiredWhy);
      }
      return fallback;
    }
    String name = part(ref, "name", fallback == null ? null : fallback.name());
    String key = part(ref, "key", fallback == null ? null : fallback.key());
    if (name != null && !Names.isDnsSubdomain(name)) {
      ref.bad(
          "name",
          Problems.quote(name)
              + " is not a valid Secret name; allowed: "
              + Names.SUBDOMAIN_ALLOWED);
      return fallback;
    }
    if (key != null && !Names.isSecretKey(key)) {
      ref.bad(
          "key", Problems.quote(key) + " is not a valid Secret key; allowed: " + Names.KEY_ALLOWED);
      return fallback;
    }
    return name == null || key == null ? fallback : new SecretKeyRef(name, key);
  }

  private static String part(ObjectReader ref, String field, String defaultValue) {
    String value = ref.string(field, defaultValue);
    if (value == null && !ref.problems().has(ref.path(field))) {
      String allowed = field.equals("name") ? Names.SUBDOMAIN_ALLOWED : Names.KEY_ALLOWED;
      ref.bad(field, "missing; required: " + allowed);
    }
    return value;
  }
}
