package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.SignalValue;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One gateway reading an OPC UA machine and a machine that publishes JSON over MQTT. */
class MixedSourcesIT {

  private static final int MESSAGES = 300;
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path dir;

  @Test
  void opcUaAndMqttMachines_bothArriveInOrder() throws Exception {
    Park park = Fixtures.singleCncPark();
    int opcPort = FreePorts.next();
    try (MosquittoBroker plant = MosquittoBroker.start(dir.resolve("plant"));
        MosquittoBroker line = MosquittoBroker.start(dir.resolve("line"));
        ParkSimulation sim =
            ParkSimulation.start(park, "127.0.0.1", opcPort, new SimClock(T0, 5), 3, m -> {});
        Fixtures.Receiver receiver = new Fixtures.Receiver(plant.url())) {
      String yaml =
          GatewayConfigTest.VALID
                  .replace("tcp://127.0.0.1:1883", plant.url())
                  .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort)
                  .replace("BUFFER_DIR", dir.resolve("buffer").toString())
              + """
            - id: station-3
              line: smt-2
              mqtt:
                broker: LINE_BROKER
                topic: line2/station3/#
                signals:
                  - { name: motor_current, path: $.motor.current }
                timestamp: $.ts
                state: { path: $.state, map: { RUN: producing, STOP: idle } }
                counters: { total: $.counts.total, good: $.counts.good }
            """
                  .indent(2)
                  .replace("LINE_BROKER", line.url());
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);

      EdgeAgent agent = EdgeAgent.start(config);
      try {
        await().atMost(Duration.ofSeconds(30)).until(agent::allMachinesConnected);
        MqttClient station = new MqttClient(line.url(), "station-3", new MemoryPersistence());
        station.connect(new MqttConnectionOptions());
        for (int i = 0; i < MESSAGES; i++) {
          String json =
              "{\"ts\":"
                  + (T0 + i * 10L)
                  + ",\"state\":\""
                  + (i < MESSAGES / 2 ? "RUN" : "STOP")
                  + "\",\"motor\":{\"current\":"
                  + (i * 0.5)
                  + "},\"counts\":{\"total\":"
                  + (i / 10)
                  + ",\"good\":"
                  + (i / 10)
                  + "}}";
          station.publish("line2/station3/status", json.getBytes(StandardCharsets.UTF_8), 1, false);
          if (i == 100) {
            station.publish(
                "line2/station3/status", "not json".getBytes(StandardCharsets.UTF_8), 1, false);
            station.publish(
                "line2/station3/status",
                ("{\"ts\":" + T0 + ",\"motor\":{\"current\":\"high\"}}")
                    .getBytes(StandardCharsets.UTF_8),
                1,
                false);
          }
        }
        station.disconnect();
        station.close();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> values(receiver, "station-3").size() == MESSAGES);
        assertThat(agent.southboundRejected()).isEqualTo(2);
      } finally {
        agent.close();
      }

      List<SignalValue> current = values(receiver, "station-3");
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(current.get(i).value()).isEqualTo(i * 0.5);
        assertThat(current.get(i).ts()).isEqualTo(T0 + i * 10L);
      }
      List<Envelope> stationEnvelopes = envelopes(receiver, "station-3");
      assertThat(stationEnvelopes.stream().flatMap(e -> e.states().stream()))
          .extracting(s -> s.state())
          .containsExactly(MachineState.PRODUCING, MachineState.IDLE);
      assertThat(
              stationEnvelopes.stream()
                  .flatMap(e -> e.counters().stream())
                  .filter(c -> c.counter().wireName().equals("total")))
          .extracting(c -> c.value())
          .containsExactly(
              0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
              19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L);
      assertThat(envelopes(receiver, "cnc-07")).isNotEmpty();
      for (Map.Entry<String, List<Long>> m : receiver.arrivalOrderByMachine().entrySet()) {
        assertThat(m.getValue()).as("order of %s", m.getKey()).isSorted();
      }
    }
  }

  private static List<Envelope> envelopes(Fixtures.Receiver receiver, String machine) {
    return receiver.envelopesInArrivalOrder().stream()
        .filter(e -> e.machine().id().equals(machine))
        .toList();
  }

  private static List<SignalValue> values(Fixtures.Receiver receiver, String machine) {
    List<SignalValue> out = new ArrayList<>();
    for (Envelope e : envelopes(receiver, machine)) {
      out.addAll(e.values());
    }
    return out;
  }
}
