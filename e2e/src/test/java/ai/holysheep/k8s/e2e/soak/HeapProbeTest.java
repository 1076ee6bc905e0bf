package ai.holysheep.k8s.e2e.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HeapProbeTest {
  @Test
  void sumsTheYoungAndOldGenerationsOfSerialGc() throws IOException {
    String heapInfo =
        "12345:\n"
            + " def new generation   total 9792K, used 1200K [0x00000000f6600000, 0x00000000f70a0000, 0x00000000f9a00000)\n"
            + "  eden space 8704K,  13% used [0x00000000f6600000, 0x00000000f672c000, 0x00000000f6e80000)\n"
            + "  from space 1088K,   0% used [0x00000000f6e80000, 0x00000000f6e80000, 0x00000000f6f90000)\n"
            + " tenured generation   total 21888K, used 15000K [0x00000000f9a00000, 0x00000000faf60000, 0x0000000100000000)\n"
            + "   the space 21888K,  68% used [0x00000000f9a00000, 0x00000000fa8a6000, 0x00000000fa8a6000, 0x00000000faf60000)\n"
            + " Metaspace       used 25000K, committed 25600K, reserved 1114112K\n"
            + "  class space    used 3000K, committed 3200K, reserved 1048576K\n";
    assertEquals(16200, HeapProbe.parseUsedKib(heapInfo));
  }

  @Test
  void readsTheSerialGenerationsAsJdk25NamesThem() throws IOException {
    String heapInfo =
        "2195:\n"
            + "DefNew     total 47296K, used 15020K [0x00000000f6600000, 0x00000000f9950000, 0x00000000f9950000)\n"
            + " eden space 42048K,  35% used [0x00000000f6600000, 0x00000000f74ab3c0, 0x00000000f8f10000)\n"
            + "Tenured    total 105152K, used 81905K [0x00000000f9950000, 0x0000000100000000, 0x0000000100000000)\n"
            + " the  space 105152K,  77% used [0x00000000f9950000, 0x00000000fe94c7d0, 0x0000000100000000)\n";
    assertEquals(96925, HeapProbe.parseUsedKib(heapInfo));
  }

  @Test
  void readsG1Too() throws IOException {
    assertEquals(
        40960,
        HeapProbe.parseUsedKib(
            " garbage-first heap   total 262144K, used 40960K [0x00000000f0000000, 0x0000000100000000)\n"));
  }

  @Test
  void measuresTheLiveHeapOfARunningJvmThroughJcmd() throws Exception {
    long kib =
        HeapProbe.usedAfterGcKib(
            java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd"),
            ProcessHandle.current().pid());
    long max = Runtime.getRuntime().maxMemory() / 1024;
    assertTrue(kib > 0 && kib < max, kib + " KiB used of " + max);
  }

  @Test
  void anAnswerWithoutHeapFiguresIsAnError() {
    assertThrows(IOException.class, () -> HeapProbe.parseUsedKib("12345:\nAttach failed\n"));
  }
}
