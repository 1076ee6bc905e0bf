package ai.holysheep.k8s.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The Pod Security Standards "restricted" profile checks that apply to a pod spec. */
final class PodSecurity {
  private static final Set<String> ALLOWED_SECCOMP = Set.of("RuntimeDefault", "Localhost");
  private static final Set<String> ALLOWED_ADDED_CAPABILITIES = Set.of("NET_BIND_SERVICE");

  private PodSecurity() {}

  /** Every violation of the restricted profile, each naming the container; empty when compliant. */
  static List<String> restrictedViolations(String owner, PodSpec spec) {
    List<String> violations = new ArrayList<>();
    PodSecurityContext pod = spec.getSecurityContext();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) violations.add(owner + ": hostNetwork");
    if (Boolean.TRUE.equals(spec.getHostPID())) violations.add(owner + ": hostPID");
    if (Boolean.TRUE.equals(spec.getHostIPC())) violations.add(owner + ": hostIPC");
    for (Volume volume : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      if (volume.getHostPath() != null)
        violations.add(owner + ": hostPath volume " + volume.getName());
    }
    if (pod != null && pod.getRunAsUser() != null && pod.getRunAsUser() == 0) {
      violations.add(owner + ": pod runAsUser 0");
    }
    Stream.of(spec.getInitContainers(), spec.getContainers())
        .filter(list -> list != null)
        .flatMap(List::stream)
        .forEach(container -> check(owner, pod, container, violations));
    return violations;
  }

  private static void check(
      String owner, PodSecurityContext pod, Container container, List<String> violations) {
    String where = owner + "/" + container.getName();
    SecurityContext context = container.getSecurityContext();
    if (context == null) {
      violations.add(where + ": no securityContext");
      return;
    }
    Boolean runAsNonRoot =
        context.getRunAsNonRoot() != null
            ? context.getRunAsNonRoot()
            : pod == null ? null : pod.getRunAsNonRoot();
    if (!Boolean.TRUE.equals(runAsNonRoot)) violations.add(where + ": runAsNonRoot is not true");
    if (context.getRunAsUser() != null && context.getRunAsUser() == 0)
      violations.add(where + ": runAsUser 0");
    if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
      violations.add(where + ": allowPrivilegeEscalation is not false");
    }
    if (Boolean.TRUE.equals(context.getPrivileged())) violations.add(where + ": privileged");
    var capabilities = context.getCapabilities();
    if (capabilities == null
        || capabilities.getDrop() == null
        || !capabilities.getDrop().contains("ALL")) {
      violations.add(where + ": capabilities do not drop ALL");
    } else if (capabilities.getAdd() != null
        && !ALLOWED_ADDED_CAPABILITIES.containsAll(capabilities.getAdd())) {
      violations.add(where + ": adds capabilities " + capabilities.getAdd());
    }
    SeccompProfile seccomp =
        context.getSeccompProfile() != null
            ? context.getSeccompProfile()
            : pod == null ? null : pod.getSeccompProfile();
    if (seccomp == null || !ALLOWED_SECCOMP.contains(seccomp.getType())) {
      violations.add(where + ": seccompProfile is not RuntimeDefault or Localhost");
    }
    if (container.getPorts() != null
        && container.getPorts().stream()
            .anyMatch(port -> port.getHostPort() != null && port.getHostPort() != 0)) {
      violations.add(where + ": hostPort");
    }
  }
}
