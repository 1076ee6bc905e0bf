package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.certs.CertificateAuthority;
import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.IssuedCertificate;
import ai.holysheep.k8s.certs.ServingCertificateRequest;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the next Secret content, purely from the current one and the clock. A CA rotation takes
 * two steps so no client ever sees a certificate its caBundle cannot verify: (1) stage: the new CA
 * signs from now on and joins the bundle next to the old one, the old serving certificate stays;
 * (2) after {@code caStageDelay}: a serving certificate from the new CA is issued.
 */
final class RenewalPlan {
  private final SelfSignedOptions options;
  private final Clock clock;

  RenewalPlan(SelfSignedOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  TlsSecretState fresh() {
    CertificateAuthority ca = CertificateAuthority.generate(caName(), options.caValidity(), clock);
    return new TlsSecretState(ca, List.of(ca.certificate()), issue(ca), null);
  }

  /** The state to write, or empty when the current one is fine. */
  Optional<TlsSecretState> next(TlsSecretState state) {
    Instant now = clock.instant();
    if (state.caStagedAt() != null) {
      if (now.isBefore(state.caStagedAt().plus(options.caStageDelay()))) {
        return Optional.empty();
      }
      return Optional.of(new TlsSecretState(state.ca(), state.bundle(), issue(state.ca()), null));
    }
    if (CertificateChecks.needsRenewal(state.ca().certificate(), options.caRenewBefore(), clock)) {
      CertificateAuthority next =
          CertificateAuthority.generate(caName(), options.caValidity(), clock);
      // the old CA still signs the certificate served while the new one propagates
      ServingCertificate serving = servingNeedsReissue(state) ? issue(state.ca()) : state.serving();
      return Optional.of(
          new TlsSecretState(
              next, List.of(state.ca().certificate(), next.certificate()), serving, now));
    }
    if (!state.bundle().contains(state.ca().certificate())) {
      return Optional.of(
          new TlsSecretState(
              state.ca(), List.of(state.ca().certificate()), issue(state.ca()), null));
    }
    if (servingNeedsReissue(state)) {
      return Optional.of(new TlsSecretState(state.ca(), state.bundle(), issue(state.ca()), null));
    }
    return Optional.empty();
  }

  private boolean servingNeedsReissue(TlsSecretState state) {
    X509Certificate leaf = state.serving().leaf();
    return CertificateChecks.needsRenewal(leaf, options.servingRenewBefore(), clock)
        || !CertificateChecks.isSignedBy(leaf, state.ca().certificate())
        || !names(leaf).containsAll(request().dnsNames());
  }

  private ServingCertificate issue(CertificateAuthority ca) {
    Duration caLeft = CertificateChecks.remaining(ca.certificate(), clock);
    ServingCertificateRequest request = request();
    if (caLeft.compareTo(request.validity()) < 0) {
      request = new ServingCertificateRequest(request.dnsNames(), request.ipAddresses(), caLeft);
    }
    IssuedCertificate issued = ca.issue(request);
    return ServingCertificate.parse(issued.certificatePem(), issued.privateKeyPem());
  }

  private ServingCertificateRequest request() {
    return ServingCertificateRequest.forService(
            options.serviceName(), options.namespace(), options.servingValidity())
        .withExtraNames(options.extraDnsNames(), options.extraIps());
  }

  private String caName() {
    return options.serviceName() + "-ca";
  }

  static Set<String> names(X509Certificate leaf) {
    Set<String> names = new HashSet<>();
    try {
      var sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        sans.forEach(entry -> names.add(String.valueOf(entry.get(1))));
      }
    } catch (java.security.cert.CertificateParsingException e) {
      return names;
    }
    return names;
  }
}
