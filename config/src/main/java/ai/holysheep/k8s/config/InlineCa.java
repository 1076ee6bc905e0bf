package ai.holysheep.k8s.config;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Reads {@code caPem}: CA certificates inline in the config, so a sidecar can trust a private CA
 * (the gateway's) without a file. Certificates are public data; a private key pasted by mistake is
 * refused without being echoed.
 */
final class InlineCa {
  /** Characters; a bundle of a few CAs is a few KiB. */
  static final int MAX_CHARS = 64 * 1024;

  static final String ALLOWED =
      "one or more PEM blocks \"-----BEGIN CERTIFICATE-----\", at most 64Ki characters";

  private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

  private InlineCa() {}

  /** The PEM text (stripped), or null when unset or empty. */
  static String read(ObjectReader upstream) {
    String pem = upstream.string("caPem", null);
    if (pem == null || pem.isBlank()) {
      return null;
    }
    String problem = problem(pem);
    if (problem != null) {
      // Never quote the value: it is long, and it may be a key pasted into the wrong field.
      upstream.bad("caPem", problem + "; allowed: " + ALLOWED);
      return null;
    }
    return pem.strip();
  }

  private static String problem(String pem) {
    if (pem.length() > MAX_CHARS) {
      return "is " + pem.length() + " characters long";
    }
    if (pem.contains("PRIVATE KEY")) {
      return "contains a private key (not shown); only certificates belong here";
    }
    if (!pem.contains(BEGIN_CERTIFICATE)) {
      return "holds no PEM certificate";
    }
    try {
      Collection<? extends java.security.cert.Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        return "holds no PEM certificate";
      }
      return null;
    } catch (CertificateException | RuntimeException e) {
      return "is not valid PEM certificates (" + reason(e) + ")";
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String first = message.lines().findFirst().orElse("").strip();
    return first.length() > 120 ? first.substring(0, 120) + "…" : first;
  }
}
