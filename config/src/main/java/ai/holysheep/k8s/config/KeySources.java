package ai.holysheep.k8s.config;

/**
 * Reads an upstream's key source: a Secret reference ({@code apiKeySecretRef}, mounted by the
 * webhook) or a file path ({@code apiKeyFile}, written by something else: the Vault Agent Injector,
 * a Secrets Store CSI volume, a projected ServiceAccount token). Never both.
 */
final class KeySources {
  static final int MAX_PATH_CHARS = 4096;
  static final String FILE_ALLOWED =
      "an absolute file path, e.g. /vault/secrets/holysheep-key (no '..' segments, not a directory)";
  static final String ONE_SOURCE =
      "allowed: one key source per upstream, apiKeySecretRef (a Secret the webhook mounts) or"
          + " apiKeyFile (a file something else writes, e.g. Vault Agent or a CSI volume)";

  /** An upstream's key: exactly one of the two is non-null. */
  record KeySource(SecretKeyRef secretRef, String file) {}

  private KeySources() {}

  /**
   * The key source of {@code upstream}. With {@code apiKeyFile} set, the Secret reference is null
   * (its default does not apply); with neither set, {@code defaultRef} (the primary's default
   * Secret), or an error naming {@code requiredWhy} when there is no default.
   */
  static KeySource read(ObjectReader upstream, SecretKeyRef defaultRef, String requiredWhy) {
    String file = file(upstream);
    boolean refGiven = upstream.value("apiKeySecretRef") != null;
    if (file != null && refGiven) {
      upstream.bad(
          "apiKeyFile",
          Problems.quote(file) + " is set together with apiKeySecretRef; " + ONE_SOURCE);
      SecretRefs.read(upstream, "apiKeySecretRef", defaultRef, null);
      return null;
    }
    if (file != null) {
      return new KeySource(null, file);
    }
    if (upstream.problems().has(upstream.path("apiKeyFile"))) {
      SecretRefs.read(upstream, "apiKeySecretRef", defaultRef, null);
      return null;
    }
    String why = requiredWhy == null ? null : requiredWhy + ", or apiKeyFile: PATH";
    SecretKeyRef ref = SecretRefs.read(upstream, "apiKeySecretRef", defaultRef, why);
    return ref == null ? null : new KeySource(ref, null);
  }

  /** The absolute path in {@code apiKeyFile}, or null when unset or empty. */
  private static String file(ObjectReader upstream) {
    String path = upstream.string("apiKeyFile", null);
    if (path == null || path.isEmpty()) {
      return null;
    }
    if (!isAbsoluteFilePath(path)) {
      upstream.bad(
          "apiKeyFile", Problems.quote(path) + " is not a file path; allowed: " + FILE_ALLOWED);
      return null;
    }
    return path;
  }

  static boolean isAbsoluteFilePath(String path) {
    return path.startsWith("/")
        && !path.endsWith("/")
        && path.length() <= MAX_PATH_CHARS
        && path.chars().noneMatch(c -> c < 0x20 || c == 0x7f)
        && !("/" + path + "/").contains("/../")
        && !("/" + path + "/").contains("/./");
  }
}
