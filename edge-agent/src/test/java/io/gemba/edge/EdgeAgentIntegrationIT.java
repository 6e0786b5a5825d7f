package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.Topics;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.testkit.MqttProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent between a real Milo server (the simulator) and a real mosquitto. */
class EdgeAgentIntegrationIT {

  @TempDir Path dir;

  @Test
  void absoluteDeadband_reportsOnlyChangesBeyondIt() throws Exception {
    List<Envelope> received =
        run(
            GatewayConfigTest.VALID.replace(
                "samplingMs: 100 }", "samplingMs: 100, deadband: { absolute: 100 } }"),
            r -> r.stream().flatMap(e -> e.values().stream()).count() >= 20);

    List<Double> speeds =
        received.stream()
            .flatMap(e -> e.values().stream())
            .filter(v -> v.signal().equals("spindle_speed"))
            .map(v -> v.value())
            .toList();
    assertThat(speeds).hasSizeGreaterThanOrEqualTo(20);
    for (int i = 1; i < speeds.size(); i++) {
      assertThat(Math.abs(speeds.get(i) - speeds.get(i - 1))).isGreaterThan(100.0);
    }
  }

  private List<Envelope> run(String gatewayYaml, java.util.function.Predicate<List<Envelope>> done)
      throws Exception {
    Park park = Fixtures.singleCncPark();
    int opcPort = FreePorts.next();
    List<Envelope> received = new CopyOnWriteArrayList<>();
    EnvelopeCodec codec = new EnvelopeCodec();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        ParkSimulation sim =
            ParkSimulation.start(
                park,
                "127.0.0.1",
                opcPort,
                new SimClock(System.currentTimeMillis(), 60),
                1,
                m -> {})) {
      MqttProbe subscriber =
          MqttProbe.on(broker.url())
              .clientId("test-sub")
              .subscribe(Topics.ALL_TELEMETRY)
              .listener(d -> received.add(codec.decode(d.payload())))
              .start();
      GatewayConfig config =
          new YamlConfigLoader()
              .parse(
                  Path.of("gateway.yaml"),
                  gatewayYaml
                      .replace("tcp://127.0.0.1:1883", broker.url())
                      .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort)
                      .replace("BUFFER_DIR", dir.resolve("buffer").toString()),
                  GatewayConfig.class);
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> done.test(received));
      }
      subscriber.close();
    }
    return received;
  }

  @Test
  void simulatedCnc_arrivesAsEnvelopesInSequence() throws Exception {
    List<Envelope> received =
        run(
            GatewayConfigTest.VALID,
            r ->
                r.stream().mapToInt(e -> e.counters().size()).sum() >= 4
                    && r.stream().anyMatch(e -> !e.states().isEmpty()));

    assertThat(received).allSatisfy(e -> assertThat(e.gateway()).isEqualTo("gw-zj-01"));
    assertThat(received.get(0).machine().id()).isEqualTo("cnc-07");
    for (int i = 1; i < received.size(); i++) {
      assertThat(received.get(i).seq()).isEqualTo(received.get(i - 1).seq() + 1);
    }
    assertThat(received.stream().flatMap(e -> e.states().stream()))
        .anySatisfy(s -> assertThat(s.state()).isNotEqualTo(MachineState.UNKNOWN));
    assertThat(received.stream().flatMap(e -> e.values().stream()))
        .anySatisfy(v -> assertThat(v.signal()).isEqualTo("spindle_speed"));
  }
}
