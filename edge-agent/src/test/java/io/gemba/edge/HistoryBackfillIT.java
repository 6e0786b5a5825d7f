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
import io.gemba.model.envelope.StateChange;
import io.gemba.model.oee.MachineOee;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.truth.StateInterval;
import io.gemba.sim.truth.TruthSink;
import io.gemba.testkit.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition between the agent and a machine's OPC UA server (a relay cut for 20 s of wall
 * time, 200 s of simulated time): after it the agent reads the gap back from the server's history.
 * Checked against the simulation's ground truth, not the server's history: every part finished
 * during the outage arrives with its own counter reading, every state the machine entered arrives
 * at the time it entered it, the signals have no hole, and no value is sent twice.
 */
class HistoryBackfillIT {

  private static final double SPEED = 10;

  @TempDir Path dir;

  @Test
  void aPartition_isReadBackFromHistory_eachValueOnce() throws Exception {
    Park park = Fixtures.singleCncPark();
    List<StateInterval> intervals = new CopyOnWriteArrayList<>();
    List<MachineOee> minutes = new CopyOnWriteArrayList<>();
    TruthSink truth =
        new TruthSink() {
          @Override
          public void accept(MachineOee minute) {
            minutes.add(minute);
          }

          @Override
          public void stateInterval(StateInterval interval) {
            intervals.add(interval);
          }
        };
    int serverPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url());
        ParkSimulation simulation =
            ParkSimulation.start(
                park,
                ServerSettings.plain("127.0.0.1", serverPort).withHistory(Duration.ofMinutes(30)),
                new SimClock(System.currentTimeMillis(), SPEED),
                11,
                truth);
        TcpProxy relay = TcpProxy.start("127.0.0.1", serverPort)) {
      String yaml =
          GatewayFiles.withSimulatedClock(
              GatewayFiles.gateway(
                  park.factories().get(0),
                  new GatewayFiles.Brokers(broker.endpoint(), null),
                  dir.resolve("buffer"),
                  "opc.tcp://127.0.0.1:" + relay.port() + "/gemba-sim",
                  simulation.server().namespaceIndex(),
                  "{ policy: None }"));
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gw.yaml"), yaml, GatewayConfig.class);
      long cutAt;
      long restoredAt;
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !counters(receiver).isEmpty());
        Thread.sleep(8_000);
        relay.cut();
        cutAt = simulation.clock().now();
        Thread.sleep(20_000);
        restoredAt = simulation.clock().now();
        relay.restore();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> metric(agent, "gemba_edge_opcua_backfilled_values_total") > 0);
        Thread.sleep(8_000);
        assertThat(metric(agent, "gemba_edge_opcua_backfill_failures_total")).isZero();
      }
      long outage = restoredAt - cutAt;
      assertThat(outage).as("simulated ms cut off").isGreaterThan(150_000);

      // No value twice: each (signal, time) once, each counter reading once.
      List<SignalValue> values =
          envelopes(receiver).stream().flatMap(e -> e.values().stream()).toList();
      Set<String> seen = new HashSet<>();
      List<String> twice = new ArrayList<>();
      for (SignalValue v : values) {
        if (!seen.add(v.signal() + "@" + v.ts())) {
          twice.add(v.signal() + "@" + v.ts());
        }
      }
      assertThat(twice).as("values sent twice").isEmpty();

      // No hole: the simulated CNC samples every simulated second, and at every sample some of
      // its signals change (a signal that holds still, such as the spindle of a stopped machine,
      // is not sent again).
      List<Long> speeds = values.stream().map(SignalValue::ts).distinct().sorted().toList();
      long widest = 0;
      for (int i = 1; i < speeds.size(); i++) {
        if (speeds.get(i) > cutAt - 10_000 && speeds.get(i - 1) < restoredAt + 10_000) {
          widest = Math.max(widest, speeds.get(i) - speeds.get(i - 1));
        }
      }
      assertThat(widest)
          .as("widest gap between signal values around the outage, simulated ms")
          .isLessThanOrEqualTo(3_000);

      // Every part of the outage's minutes arrives as its own count, in the minute it was made.
      List<CounterReading> totals = counters(receiver);
      for (int i = 1; i < totals.size(); i++) {
        assertThat(totals.get(i).value() - totals.get(i - 1).value())
            .as(
                "parts between counter readings at %d and %d",
                totals.get(i - 1).ts(), totals.get(i).ts())
            .isEqualTo(1);
      }
      List<MachineOee> outageMinutes =
          minutes.stream()
              .filter(m -> m.machineId().equals("cnc-07"))
              .filter(m -> m.start() >= cutAt && m.start() + 60_000 <= restoredAt)
              .toList();
      assertThat(outageMinutes).as("whole minutes inside the outage").isNotEmpty();
      for (MachineOee m : outageMinutes) {
        long counted =
            totals.stream().filter(c -> c.ts() >= m.start() && c.ts() < m.start() + 60_000).count();
        assertThat(counted)
            .as("parts counted in the minute at %d", m.start())
            .isEqualTo(m.inputs().totalCount());
      }
      assertThat(outageMinutes.stream().mapToLong(m -> m.inputs().totalCount()).sum())
          .as("parts made during the outage")
          .isPositive();

      // Every state the machine entered during the outage arrives, at the time it entered it.
      Map<Long, String> states =
          envelopes(receiver).stream()
              .flatMap(e -> e.states().stream())
              .collect(
                  Collectors.toMap(
                      StateChange::ts, s -> s.state().wireName(), (a, b) -> a + "," + b));
      List<StateInterval> entered =
          intervals.stream().filter(i -> i.start() > cutAt && i.start() < restoredAt).toList();
      for (StateInterval i : entered) {
        assertThat(states.get(i.start()))
            .as("state entered at %d", i.start())
            .contains(i.state().wireName());
      }
    }
  }

  private static List<Envelope> envelopes(Fixtures.Receiver receiver) {
    return receiver.envelopesInArrivalOrder().stream()
        .filter(e -> e.machine().id().equals("cnc-07"))
        .toList();
  }

  private static List<CounterReading> counters(Fixtures.Receiver receiver) {
    return envelopes(receiver).stream()
        .flatMap(e -> e.counters().stream())
        .filter(c -> c.counter() == Counter.TOTAL)
        .sorted(Comparator.comparingLong(CounterReading::ts))
        .toList();
  }

  private static double metric(EdgeAgent agent, String name) {
    Matcher m = Pattern.compile(name + "\\{[^}]*} ([0-9.E+-]+)").matcher(agent.metricsText());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
