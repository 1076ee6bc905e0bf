package ai.holysheep.k8s.certs;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Expiry and renewal decisions, always against an injected clock. */
public final class CertificateChecks {
  private static final byte[] PAIR_CHALLENGE =
      "holysheep certificate/key pair check".getBytes(StandardCharsets.US_ASCII);

  private CertificateChecks() {}

  /** Time left until notAfter; negative once expired. */
  public static Duration remaining(X509Certificate certificate, Clock clock) {
    return Duration.between(clock.instant(), certificate.getNotAfter().toInstant());
  }

  public static boolean isValidAt(X509Certificate certificate, Clock clock) {
    Instant now = clock.instant();
    return !now.isBefore(certificate.getNotBefore().toInstant())
        && now.isBefore(certificate.getNotAfter().toInstant());
  }

  /**
   * True when the certificate is not valid now or expires within {@code renewBefore}. A renewBefore
   * longer than the lifetime would renew on every check, so it is capped at a third of the
   * lifetime.
   */
  public static boolean needsRenewal(
      X509Certificate certificate, Duration renewBefore, Clock clock) {
    if (!isValidAt(certificate, clock)) {
      return true;
    }
    Duration lifetime =
        Duration.between(
            certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    Duration threshold = renewBefore;
    Duration third = lifetime.dividedBy(3);
    if (threshold.compareTo(third) > 0) {
      threshold = third;
    }
    return remaining(certificate, clock).compareTo(threshold) <= 0;
  }

  /** Whether {@code certificate} was signed by {@code issuer}'s key. */
  public static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Whether {@code key} is the private half of the certificate's public key: a challenge signed
   * with the key must verify with the certificate. Comparing algorithms is not enough: a
   * certificate written before its key (a torn Secret update) has the same algorithm and curve.
   */
  public static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null
        || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PAIR_CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(PAIR_CHALLENGE);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
