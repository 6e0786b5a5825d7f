package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's OPC UA server goes away for 20 s and comes back as a new process would. */
class OpcUaServerRestartIT {

  @TempDir Path dir;

  @Test
  void serverStopped20sAndRestarted_dataResumesWithOneSession() throws Exception {
    Park park = Fixtures.singleCncPark();
    int opcPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url())) {
      GatewayConfig config =
          new YamlConfigLoader()
              .parse(
                  Path.of("gateway.yaml"),
                  GatewayConfigTest.VALID
                      .replace("tcp://127.0.0.1:1883", broker.url())
                      .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort)
                      .replace("BUFFER_DIR", dir.resolve("buffer").toString()),
                  GatewayConfig.class);
      ParkSimulation first =
          ParkSimulation.start(
              park, "127.0.0.1", opcPort, new SimClock(System.currentTimeMillis(), 1), 1, m -> {});
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.readings() > 10);
        first.close();
        Thread.sleep(20_000);
        long restartedAt = System.currentTimeMillis();
        try (ParkSimulation second =
            ParkSimulation.start(
                park, "127.0.0.1", opcPort, new SimClock(restartedAt, 1), 2, m -> {})) {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      receiver.envelopesInArrivalOrder().stream()
                          .flatMap(e -> e.values().stream())
                          .anyMatch(v -> v.ts() >= restartedAt));
          // Settled: the agent holds exactly one session on the new server.
          Thread.sleep(3_000);
          assertThat(second.server().sessionCount()).isEqualTo(1);
          assertThat(agent.allMachinesConnected()).isTrue();
        }
      }
      long restartedValues =
          receiver.envelopesInArrivalOrder().stream().mapToLong(Envelope::size).sum();
      assertThat(restartedValues).isGreaterThan(10);
    }
  }
}
