package ai.holysheep.k8s.e2e.proxy;

import ai.holysheep.k8s.e2e.sim.Simulator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test bed with two simulators ({@code primary-sim}, {@code secondary-sim}) for each test. */
abstract class TwoUpstreams {
  ProxyTestBed bed;
  Simulator primary;
  Simulator secondary;

  @BeforeEach
  void startUpstreams() {
    bed = new ProxyTestBed();
    primary = bed.sim("primary-sim");
    secondary = bed.sim("secondary-sim");
  }

  @AfterEach
  void closeBed() {
    bed.close();
  }

  /** A config for primary then secondary, with the test bed's short timeouts. */
  JsonObject config() {
    return ProxyTestBed.config(primary.baseUrl(), secondary.baseUrl());
  }
}
