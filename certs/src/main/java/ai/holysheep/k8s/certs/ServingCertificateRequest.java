package ai.holysheep.k8s.certs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a serving certificate must name and how long it lives.
 *
 * @param dnsNames DNS subject alternative names; the first one is also the subject CN
 * @param ipAddresses IP subject alternative names (literal addresses, e.g. 127.0.0.1 for tests)
 * @param validity lifetime from the issuing moment
 */
public record ServingCertificateRequest(
    List<String> dnsNames, List<String> ipAddresses, Duration validity) {

  public ServingCertificateRequest {
    dnsNames = List.copyOf(Objects.requireNonNull(dnsNames, "dnsNames"));
    ipAddresses = List.copyOf(Objects.requireNonNull(ipAddresses, "ipAddresses"));
    Objects.requireNonNull(validity, "validity");
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one DNS or IP name");
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity: " + validity + " must be positive");
    }
  }

  /** The four names a Service is reached by inside a cluster. */
  public static ServingCertificateRequest forService(
      String service, String namespace, Duration validity) {
    return new ServingCertificateRequest(
        ServiceNames.dnsNames(service, namespace), List.of(), validity);
  }

  /** A copy with more DNS names and IP addresses (e.g. localhost for tests). */
  public ServingCertificateRequest withExtraNames(List<String> moreDns, List<String> moreIps) {
    List<String> dns = new ArrayList<>(dnsNames);
    moreDns.stream().filter(n -> !dns.contains(n)).forEach(dns::add);
    List<String> ips = new ArrayList<>(ipAddresses);
    moreIps.stream().filter(n -> !ips.contains(n)).forEach(ips::add);
    return new ServingCertificateRequest(dns, ips, validity);
  }
}
