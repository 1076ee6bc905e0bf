package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.holysheep.k8s.webhook.inject.NativeSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeletVersionsTest {
  @Test
  void kubelet129AndNewerIsNativeIncludingManagedClusterSuffixes() {
    assertEquals(NativeSupport.ALL_NATIVE, KubeletVersions.of("v1.29.0"));
    assertEquals(NativeSupport.ALL_NATIVE, KubeletVersions.of("v1.31.4-eks-2d5f260"));
    assertEquals(NativeSupport.ALL_NATIVE, KubeletVersions.of("v1.30.2+k3s1"));
    assertEquals(NativeSupport.ALL_NATIVE, KubeletVersions.of("v2.0.0"));
  }

  @Test
  void kubeletBefore129IsNotNative() {
    assertEquals(NativeSupport.NOT_ALL_NATIVE, KubeletVersions.of("v1.28.15"));
    assertEquals(NativeSupport.NOT_ALL_NATIVE, KubeletVersions.of("v1.9.0"));
  }

  @Test
  void unreadableOrMissingVersionIsUnknown() {
    assertEquals(NativeSupport.UNKNOWN, KubeletVersions.of(null));
    assertEquals(NativeSupport.UNKNOWN, KubeletVersions.of("latest"));
    assertEquals(NativeSupport.UNKNOWN, KubeletVersions.combine(List.of()));
  }

  @Test
  void oneOldNodeRulesNativeOutEvenNextToAnUnknownOne() {
    assertEquals(
        NativeSupport.NOT_ALL_NATIVE,
        KubeletVersions.combine(List.of("v1.30.0", "garbage", "v1.27.3")));
    assertEquals(NativeSupport.UNKNOWN, KubeletVersions.combine(List.of("v1.30.0", "garbage")));
    assertEquals(NativeSupport.ALL_NATIVE, KubeletVersions.combine(List.of("v1.30.0", "v1.29.1")));
  }
}
