package ai.holysheep.k8s.certs;

import java.time.Duration;

/** Named defaults for the certificates this module issues. */
public final class CertificateDefaults {
  /** Lifetime of a generated CA: long, because rotating it means re-distributing the bundle. */
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

  /** Lifetime of a serving certificate. */
  public static final Duration DEFAULT_SERVING_VALIDITY = Duration.ofDays(365);

  /** A certificate is renewed when less than this remains before it expires. */
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);

  /** notBefore is back-dated by this much so nodes with a slightly slow clock accept new certs. */
  public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(5);

  /** Common name of a generated CA. */
  public static final String DEFAULT_CA_COMMON_NAME = "holysheep-injector-ca";

  private CertificateDefaults() {}
}
