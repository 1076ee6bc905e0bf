package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.inject.NativeSupport;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Native sidecars (init containers with restartPolicy Always) need kubelet 1.29 or newer. */
final class KubeletVersions {
  static final int NATIVE_MAJOR = 1;
  static final int NATIVE_MINOR = 29;
  private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\D.*)?$");

  private KubeletVersions() {}

  /** e.g. {@code v1.29.3}, {@code v1.30.1-eks-1234}; null or garbage is UNKNOWN. */
  static NativeSupport of(String kubeletVersion) {
    if (kubeletVersion == null) {
      return NativeSupport.UNKNOWN;
    }
    Matcher m = VERSION.matcher(kubeletVersion.trim());
    if (!m.matches()) {
      return NativeSupport.UNKNOWN;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    boolean supported = major > NATIVE_MAJOR || (major == NATIVE_MAJOR && minor >= NATIVE_MINOR);
    return supported ? NativeSupport.ALL_NATIVE : NativeSupport.NOT_ALL_NATIVE;
  }

  /** One old kubelet is enough to rule native out; no nodes or an unreadable one is UNKNOWN. */
  static NativeSupport combine(Collection<String> kubeletVersions) {
    if (kubeletVersions.isEmpty()) {
      return NativeSupport.UNKNOWN;
    }
    boolean unknown = false;
    for (String version : kubeletVersions) {
      NativeSupport support = of(version);
      if (support == NativeSupport.NOT_ALL_NATIVE) {
        return NativeSupport.NOT_ALL_NATIVE;
      }
      unknown |= support == NativeSupport.UNKNOWN;
    }
    return unknown ? NativeSupport.UNKNOWN : NativeSupport.ALL_NATIVE;
  }
}
