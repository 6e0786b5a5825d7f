package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.services.MosquittoBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A machine published by a Sparkplug B edge node, played here with Eclipse Tahu and Paho. */
class SparkplugSourceIT {

  @TempDir Path dir;

  private static final String GROUP = "plant1";
  private static final String NODE = "line2-plc";

  private static Metric named(String name, long alias, MetricDataType type, Object value, long ts)
      throws Exception {
    return new Metric.MetricBuilder(name, type, value)
        .alias(alias)
        .timestamp(new Date(ts))
        .createMetric();
  }

  private static Metric aliased(long alias, MetricDataType type, Object value, long ts)
      throws Exception {
    return new Metric.MetricBuilder(alias, type, value).timestamp(new Date(ts)).createMetric();
  }

  private static void publish(MqttClient node, String topic, long seq, Metric... metrics)
      throws Exception {
    SparkplugBPayload payload =
        new SparkplugBPayload.SparkplugBPayloadBuilder(seq)
            .setTimestamp(new Date())
            .addMetrics(List.of(metrics))
            .createPayload();
    node.publish(topic, new SparkplugBPayloadEncoder().getBytes(payload, false), 1, false);
  }

  @Test
  void birthAliasesDataGapRebirthAndDeath() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url())) {
      String yaml =
          """
          gateway: { id: gw-zj-01, factory: zj-electronics }
          uplink: { broker: %s }
          buffer: { dir: %s }
          machines:
            - id: press-4
              line: smt-2
              sparkplug:
                broker: %s
                groupId: plant1
                edgeNode: line2-plc
                device: press-4
                signals: [ { name: motor_current, metric: Motor/Current } ]
                state: { metric: State, map: { 1: producing, 2: idle, 3: down } }
                counters: { total: Parts/Total, good: Parts/Good }
          """
              .formatted(broker.url(), dir.resolve("buffer"), broker.url());
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);
      MqttClient node = new MqttClient(broker.url(), "edge-node", new MemoryPersistence());
      node.connect();
      List<SparkplugBPayload> commands = new CopyOnWriteArrayList<>();
      node.subscribe(
          new MqttSubscription[] {new MqttSubscription("spBv1.0/" + GROUP + "/NCMD/" + NODE, 1)},
          new IMqttMessageListener[] {
            (topic, message) ->
                commands.add(
                    new SparkplugBPayloadDecoder().buildFromByteArray(message.getPayload(), null))
          });

      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.allMachinesConnected());
        long t0 = System.currentTimeMillis() - 10_000;
        String device = "/" + NODE + "/press-4";
        publish(
            node,
            "spBv1.0/" + GROUP + "/NBIRTH/" + NODE,
            0,
            named("bdSeq", 0, MetricDataType.Int64, 0L, t0),
            named("Node Control/Rebirth", 99, MetricDataType.Boolean, false, t0));
        publish(
            node,
            "spBv1.0/" + GROUP + "/DBIRTH" + device,
            1,
            named("Motor/Current", 1, MetricDataType.Double, 4.0, t0),
            named("State", 2, MetricDataType.Int32, 1, t0),
            named("Parts/Total", 3, MetricDataType.UInt32, 100L, t0),
            named("Parts/Good", 4, MetricDataType.UInt32, 98L, t0));
        // Report by exception, metrics by alias only.
        publish(
            node,
            "spBv1.0/" + GROUP + "/DDATA" + device,
            2,
            aliased(1, MetricDataType.Double, 4.5, t0 + 100),
            aliased(3, MetricDataType.UInt32, 101L, t0 + 100));
        // Another device on the same node: counts for the sequence, not for this machine.
        publish(
            node,
            "spBv1.0/" + GROUP + "/DDATA/" + NODE + "/press-5",
            3,
            aliased(1, MetricDataType.Double, 99.0, t0 + 150));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> values(receiver).size() == 2 && counters(receiver).size() == 3);
        assertThat(commands).isEmpty();

        // Sequence number 4 is lost: the agent asks the node to be born again.
        publish(
            node,
            "spBv1.0/" + GROUP + "/DDATA" + device,
            5,
            aliased(2, MetricDataType.Int32, 3, t0 + 200));
        await().atMost(Duration.ofSeconds(10)).until(() -> !commands.isEmpty());
        Metric rebirth = commands.get(0).getMetrics().get(0);
        assertThat(rebirth.getName()).isEqualTo("Node Control/Rebirth");
        assertThat(rebirth.getValue()).isEqualTo(true);

        publish(node, "spBv1.0/" + GROUP + "/DDEATH" + device, 6);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> states(receiver).stream().anyMatch(s -> s.state() == MachineState.UNKNOWN));
      }
      node.disconnect();
      node.close();

      assertThat(values(receiver))
          .extracting(SignalValue::signal, SignalValue::ts, SignalValue::value)
          .containsExactly(
              tuple("motor_current", values(receiver).get(0).ts(), 4.0),
              tuple("motor_current", values(receiver).get(0).ts() + 100, 4.5));
      assertThat(counters(receiver))
          .extracting(CounterReading::counter, CounterReading::value, CounterReading::rollover)
          .containsExactly(
              tuple(Counter.TOTAL, 100L, 4_294_967_296L),
              tuple(Counter.GOOD, 98L, 4_294_967_296L),
              tuple(Counter.TOTAL, 101L, 4_294_967_296L));
      assertThat(states(receiver))
          .extracting(StateChange::state)
          .containsExactly(MachineState.PRODUCING, MachineState.DOWN, MachineState.UNKNOWN);
    }
  }

  private static List<SignalValue> values(Fixtures.Receiver receiver) {
    return receiver.envelopesInArrivalOrder().stream().flatMap(e -> e.values().stream()).toList();
  }

  private static List<CounterReading> counters(Fixtures.Receiver receiver) {
    return receiver.envelopesInArrivalOrder().stream().flatMap(e -> e.counters().stream()).toList();
  }

  private static List<StateChange> states(Fixtures.Receiver receiver) {
    return receiver.envelopesInArrivalOrder().stream()
        .map(Envelope::states)
        .flatMap(List::stream)
        .toList();
  }
}
