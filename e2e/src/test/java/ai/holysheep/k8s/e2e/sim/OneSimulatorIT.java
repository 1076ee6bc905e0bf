package ai.holysheep.k8s.e2e.sim;

import static ai.holysheep.k8s.e2e.sim.SimHttp.await;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One Vert.x per class and a fresh simulator per test, so a fault set by one test never leaks into
 * the next; the simulator ITs that drive a single simulator extend it.
 */
abstract class OneSimulatorIT {
  static Vertx vertx;
  Simulator sim;

  /** The options of the simulator each test starts with. */
  abstract SimulatorOptions options();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void startSimulator() throws Exception {
    sim = await(Simulator.start(vertx, options()));
  }

  @AfterEach
  void stopSimulator() throws Exception {
    await(sim.close());
  }
}
