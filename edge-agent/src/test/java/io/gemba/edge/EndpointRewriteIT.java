package io.gemba.edge;

import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that advertises a host name the gateway cannot resolve, as PLCs behind NAT do. */
class EndpointRewriteIT {

  private static final String UNRESOLVABLE = "plc-07.invalid";

  @TempDir Path dir;

  @Test
  void advertisedHostUnresolvable_connectsThroughTheConfiguredHost() throws Exception {
    Park park = Fixtures.singleCncPark();
    int opcPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        ParkSimulation sim =
            ParkSimulation.start(
                park,
                "127.0.0.1",
                UNRESOLVABLE,
                opcPort,
                new SimClock(System.currentTimeMillis(), 1),
                1,
                m -> {})) {
      String yaml =
          GatewayConfigTest.VALID
              .replace("tcp://127.0.0.1:1883", broker.url())
              .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort);

      GatewayConfig literal =
          config(
              yaml.replace(
                  "publishingIntervalMs: 100",
                  "publishingIntervalMs: 100\n      endpointRewrite: false"),
              "literal");
      try (EdgeAgent agent = EdgeAgent.start(literal)) {
        // The advertised host cannot be reached: not connected at any moment of its first
        // attempt and two retries (2 and 4 s later), checked all along rather than once at the end.
        await()
            .during(Duration.ofSeconds(7))
            .atMost(Duration.ofSeconds(8))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !agent.allMachinesConnected());
      }

      try (Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
          EdgeAgent agent = EdgeAgent.start(config(yaml, "rewritten"))) {
        await().atMost(Duration.ofSeconds(30)).until(agent::allMachinesConnected);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.readings() > 3);
      }
    }
  }

  private GatewayConfig config(String yaml, String buffer) {
    return new YamlConfigLoader()
        .parse(
            Path.of("gateway.yaml"),
            yaml.replace("BUFFER_DIR", dir.resolve(buffer).toString()),
            GatewayConfig.class);
  }
}
