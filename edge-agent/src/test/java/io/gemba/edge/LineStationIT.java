package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.oee.MachineOee;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.opcua.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line stations publish JSON over MQTT as PLC gateways do; the gateway file the simulators write
 * reads them, and the part counts that arrive land in the same minutes as the ground truth's.
 */
class LineStationIT {

  @TempDir Path dir;

  @Test
  void stationsArriveWithSignalsStatesAndCountsInTheirTrueMinutes() throws Exception {
    Park park =
        new YamlConfigLoader()
            .parse(
                Path.of("park.yaml"),
                """
                id: stations
                factories:
                  - id: zj-electronics
                    timeZone: Asia/Shanghai
                    lines:
                      - id: smt-2
                        machines:
                          - { id: st-01, kind: line_station, idealCycleSeconds: 10 }
                          - { id: st-02, kind: line_station, idealCycleSeconds: 12 }
                """,
                Park.class);
    List<MachineOee> truth = new CopyOnWriteArrayList<>();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
        ParkSimulation simulation =
            ParkSimulation.start(
                park,
                ServerSettings.plain("127.0.0.1", FreePorts.next()),
                broker.endpoint(),
                new SimClock(System.currentTimeMillis(), 30),
                3,
                truth::add)) {
      String yaml =
          GatewayFiles.gateway(
              park.factories().get(0),
              new GatewayFiles.Brokers(broker.endpoint(), broker.endpoint()),
              dir.resolve("buffer"),
              simulation.server().endpointUrl(),
              simulation.server().namespaceIndex(),
              "{ policy: None }");
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gw.yaml"), yaml, GatewayConfig.class);
      assertThat(config.machines()).allSatisfy(m -> assertThat(m.mqtt()).isNotNull());
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> minutesWithParts(truth, "st-01").size() >= 5);
        // Let the last of those minutes' messages through the batcher.
        Thread.sleep(2_000);
      }

      Set<String> signals =
          envelopes(receiver, "st-01")
              .flatMap(e -> e.values().stream())
              .map(SignalValue::signal)
              .collect(Collectors.toSet());
      assertThat(signals)
          .containsExactlyInAnyOrder("belt_speed", "motor_current", "motor_temperature");
      assertThat(envelopes(receiver, "st-02").flatMap(e -> e.states().stream())).isNotEmpty();

      List<CounterReading> totals =
          envelopes(receiver, "st-01")
              .flatMap(e -> e.counters().stream())
              .filter(c -> c.counter() == Counter.TOTAL)
              .sorted(Comparator.comparingLong(CounterReading::ts))
              .toList();
      // Messages published before the agent subscribed are gone (as with any live MQTT feed):
      // compare the minutes after the first count the agent read.
      long firstRead = totals.get(0).ts();
      List<MachineOee> compared =
          minutesWithParts(truth, "st-01").stream().filter(m -> m.start() > firstRead).toList();
      assertThat(compared).hasSizeGreaterThanOrEqualTo(2);
      for (MachineOee minute : compared) {
        long before =
            totals.stream()
                .filter(c -> c.ts() < minute.start())
                .mapToLong(CounterReading::value)
                .max()
                .orElse(0);
        long through =
            totals.stream()
                .filter(c -> c.ts() < minute.end())
                .mapToLong(CounterReading::value)
                .max()
                .orElse(0);
        assertThat(through - before)
            .as("parts in the minute starting %d", minute.start())
            .isEqualTo(minute.inputs().totalCount());
      }
    }
  }

  private static List<MachineOee> minutesWithParts(List<MachineOee> truth, String machine) {
    return truth.stream()
        .filter(m -> m.machineId().equals(machine) && m.inputs().totalCount() > 0)
        .toList();
  }

  private static java.util.stream.Stream<Envelope> envelopes(
      Fixtures.Receiver receiver, String machine) {
    return receiver.envelopesInArrivalOrder().stream()
        .filter(e -> e.machine().id().equals(machine));
  }
}
