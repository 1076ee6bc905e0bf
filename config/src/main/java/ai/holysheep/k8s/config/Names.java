package ai.holysheep.k8s.config;

import java.util.regex.Pattern;

/** Kubernetes naming rules the spec reuses. */
final class Names {
  static final int MAX_LABEL = 63;
  static final int MAX_SUBDOMAIN = 253;

  static final String LABEL_ALLOWED =
      "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
  static final String SUBDOMAIN_ALLOWED =
      "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";
  static final String KEY_ALLOWED =
      "letters, digits, '-', '_' and '.', not starting with '..', at most 253 characters";

  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private Names() {}

  static boolean isDnsLabel(String s) {
    return s.length() <= MAX_LABEL && DNS_LABEL.matcher(s).matches();
  }

  static boolean isDnsSubdomain(String s) {
    return s.length() <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.matcher(s).matches();
  }

  /** Also keeps keys from escaping their Secret's directory: "." and ".." are refused. */
  static boolean isSecretKey(String s) {
    return s.length() <= MAX_SUBDOMAIN
        && SECRET_KEY.matcher(s).matches()
        && !s.equals(".")
        && !s.startsWith("..");
  }
}
