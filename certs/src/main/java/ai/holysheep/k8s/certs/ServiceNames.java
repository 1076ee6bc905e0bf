package ai.holysheep.k8s.certs;

import java.util.List;
import java.util.regex.Pattern;

/** The DNS names by which a Kubernetes Service is reached. */
public final class ServiceNames {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private ServiceNames() {}

  /** {@code SVC}, {@code SVC.NS}, {@code SVC.NS.svc}, {@code SVC.NS.svc.cluster.local}. */
  public static List<String> dnsNames(String service, String namespace) {
    requireLabel("service", service);
    requireLabel("namespace", namespace);
    return List.of(
        service,
        service + "." + namespace,
        service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  static void requireLabel(String field, String value) {
    if (value == null || !DNS_LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + ": \""
              + value
              + "\" is not a DNS label; use 1-63 lowercase letters, digits or '-',"
              + " starting and ending with a letter or digit");
    }
  }
}
