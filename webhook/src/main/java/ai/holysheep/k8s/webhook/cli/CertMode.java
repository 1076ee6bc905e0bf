package ai.holysheep.k8s.webhook.cli;

import java.util.Locale;

/** Where the serving certificate comes from. */
public enum CertMode {
  /** Generated and kept in a Secret by the webhook itself; caBundle reconciled. */
  SELF,
  /** PEM files written by cert-manager into a mounted Secret. */
  CERT_MANAGER,
  /** User-supplied PEM files. */
  FILES;

  static CertMode parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "self" -> SELF;
      case "certmanager", "cert-manager" -> CERT_MANAGER;
      case "files" -> FILES;
      default ->
          throw new IllegalArgumentException(
              "--cert-mode: \"" + text + "\" is not a mode; expected self, certManager or files");
    };
  }
}
