package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.SignalValue;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.modbus.ModbusMachines;
import io.gemba.sim.opcua.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo park's 26 simulated machines (CNC machines and robots over OPC UA, line stations over
 * MQTT, moulding machines over Modbus TCP), read by the gateway files the simulators generate for
 * it: every machine's signals arrive, named as the park file names them.
 */
class DemoParkGatewayIT {

  @TempDir Path dir;

  @Test
  void generatedGatewayFiles_readEveryDemoMachine() throws Exception {
    Park park = Park.load(Path.of("../deploy/parks/demo.yaml"));
    int port = FreePorts.next();
    int modbusPort = FreePorts.next();
    List<EdgeAgent> agents = new ArrayList<>();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
        ParkSimulation simulation =
            ParkSimulation.start(
                park,
                ServerSettings.plain("127.0.0.1", port).withModbusPort(modbusPort),
                broker.endpoint(),
                new SimClock(System.currentTimeMillis(), 30),
                5,
                m -> {})) {
      for (Factory factory : park.factories()) {
        String yaml =
            GatewayFiles.gateway(
                factory,
                new GatewayFiles.Brokers(broker.endpoint(), broker.endpoint()),
                dir.resolve("buffer-" + factory.id()),
                simulation.server().endpointUrl(),
                simulation.server().namespaceIndex(),
                "{ policy: None }",
                "tcp://127.0.0.1:" + modbusPort,
                ModbusMachines.unitIds(park));
        agents.add(
            EdgeAgent.start(
                new YamlConfigLoader().parse(Path.of("gw.yaml"), yaml, GatewayConfig.class)));
      }
      Map<String, Set<String>> declared =
          park.placements().stream()
              .collect(
                  Collectors.toMap(
                      p -> p.machine().id(),
                      p ->
                          p.machine().signals().stream()
                              .map(s -> s.name())
                              .collect(Collectors.toSet())));

      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(signalsByMachine(receiver)).isEqualTo(declared));
        // Stops come with the reason the machine gives, over OPC UA, MQTT and Modbus alike.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    reasonsBySource(receiver, park)
                        .keySet()
                        .containsAll(List.of("cnc", "line_station", "injection_moulding")));
      } finally {
        // Before the simulation and the broker go, as on a real stop.
        agents.forEach(EdgeAgent::close);
      }
    }
    assertThat(park.placements()).hasSize(26);
  }

  /** The stop reasons received, by the kind of machine that gave them. */
  private static Map<String, Set<String>> reasonsBySource(Fixtures.Receiver receiver, Park park) {
    return receiver.envelopesInArrivalOrder().stream()
        .flatMap(
            e ->
                e.states().stream()
                    .filter(s -> s.reason() != null)
                    .map(
                        s ->
                            Map.entry(
                                park.findMachine(e.machine().id())
                                    .orElseThrow()
                                    .machine()
                                    .kind()
                                    .wireName(),
                                s.reason())))
        .collect(
            Collectors.groupingBy(
                Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toSet())));
  }

  private static Map<String, Set<String>> signalsByMachine(Fixtures.Receiver receiver) {
    return receiver.envelopesInArrivalOrder().stream()
        .collect(
            Collectors.groupingBy(
                (Envelope e) -> e.machine().id(),
                Collectors.flatMapping(
                    e -> e.values().stream().map(SignalValue::signal), Collectors.toSet())));
  }
}
