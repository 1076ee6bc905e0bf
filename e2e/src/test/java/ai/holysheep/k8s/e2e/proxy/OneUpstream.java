package ai.holysheep.k8s.e2e.proxy;

import ai.holysheep.k8s.e2e.sim.Simulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test bed with one simulator ({@code primary-sim}) and a sidecar in front of it. */
abstract class OneUpstream {
  ProxyTestBed bed;
  Simulator primary;

  @BeforeEach
  void startUpstreamAndSidecar() {
    bed = new ProxyTestBed();
    primary = bed.sim("primary-sim");
    bed.start(ProxyTestBed.config(primary.baseUrl()));
  }

  @AfterEach
  void closeBed() {
    bed.close();
  }
}
