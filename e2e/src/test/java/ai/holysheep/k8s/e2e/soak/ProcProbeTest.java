package ai.holysheep.k8s.e2e.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Probes this test JVM itself, whose connections the test opens. */
class ProcProbeTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void readsResidentMemoryAndDescriptorsOfAProcess() throws Exception {
    assertTrue(ProcProbe.rssKib(SELF) > 1024, "a JVM uses more than 1 MiB");
    int before = ProcProbe.openFds(SELF);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertTrue(ProcProbe.openFds(SELF) > before);
    }
  }

  @Test
  void countsEstablishedConnectionsByLocalAndRemotePort() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket acceptedA = server.accept();
        Socket acceptedB = server.accept()) {
      ProcProbe.Connections connections = ProcProbe.connections(SELF);
      assertEquals(2, connections.toRemote(server.getLocalPort()), "the two client sides");
      assertEquals(2, connections.onLocal(server.getLocalPort()), "the two accepted sides");
    }
  }

  @Test
  void readsTheCpuTimeAProcessUsed() throws Exception {
    double before = ProcProbe.cpuSeconds(SELF);
    long end = System.nanoTime() + 300_000_000L;
    long spin = 0;
    while (System.nanoTime() < end) {
      spin++;
    }
    assertTrue(spin > 0);
    assertTrue(ProcProbe.cpuSeconds(SELF) > before, "300 ms of spinning shows");
  }

  @Test
  void readsTheHexPortOfAProcNetAddress() {
    assertEquals(8080, ProcProbe.port("0100007F:1F90"));
    assertEquals(443, ProcProbe.port("00000000000000000000000001000000:01BB"));
  }
}
