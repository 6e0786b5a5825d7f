package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.services.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices that send what no envelope may carry: a retained message whose timestamp overflows, text
 * that is not JSON, a number of 1e400 (Infinity), a year far beyond 9999, a PLC clock a day off,
 * and a Sparkplug metric of NaN beside a good one. Each is counted and skipped per reading; the
 * agent keeps its machine-side connection (no exception leaves a client callback), and the good
 * readings sent among them are forwarded.
 */
class PoisonPayloadsIT {

  @TempDir Path dir;

  @Test
  void poisonJsonAndSparkplug_areCountedPerReading_theConnectionStays_goodReadingsPass()
      throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        Fixtures.Receiver receiver = new Fixtures.Receiver(broker.url())) {
      String yaml =
          """
          gateway: { id: gw-f1, factory: f1, sourceClock: { tolerance: PT1M, action: flag } }
          uplink: { broker: %1$s, batchDelayMs: 100 }
          buffer: { dir: %2$s }
          machines:
            - id: st-01
              line: l1
              mqtt:
                broker: %1$s
                topic: plant/f1/st-01
                timestamp: $.ts
                signals: [ { name: speed, path: $.speed } ]
            - id: press-4
              line: l1
              sparkplug:
                broker: %1$s
                groupId: plant1
                edgeNode: plc
                device: press-4
                signals: [ { name: motor_current, metric: Motor/Current }, { name: motor_temperature, metric: Motor/Temperature } ]
          """
              .formatted(broker.url(), dir.resolve("buffer"));
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);
      MqttClient device = new MqttClient(broker.url(), "device", new MemoryPersistence());
      device.connect();
      // Retained before the agent subscribes: it arrives at every (re)subscription.
      device.publish(
          "plant/f1/st-01", json("{\"ts\":\"+1000000000-01-01T00:00:00Z\",\"speed\":1}"), 1, true);
      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await().atMost(Duration.ofSeconds(20)).until(agent::allMachinesConnected);
        long now = System.currentTimeMillis();
        device.publish("plant/f1/st-01", json("{not json"), 1, false);
        device.publish("plant/f1/st-01", json("{\"ts\":" + now + ",\"speed\":1e400}"), 1, false);
        device.publish("plant/f1/st-01", json("{\"ts\":300000000000000000,\"speed\":2}"), 1, false);
        // A day behind: forwarded, flagged uncertain and counted.
        device.publish(
            "plant/f1/st-01", json("{\"ts\":" + (now - 86_400_000) + ",\"speed\":3}"), 1, false);
        device.publish("plant/f1/st-01", json("{\"ts\":" + now + ",\"speed\":42}"), 1, false);
        MqttClient node = new MqttClient(broker.url(), "edge-node", new MemoryPersistence());
        node.connect();
        sparkplug(node, "NBIRTH/plc", 0, metric("bdSeq", MetricDataType.Int64, 0L, now));
        sparkplug(
            node,
            "DBIRTH/plc/press-4",
            1,
            metric("Motor/Current", MetricDataType.Double, 4.0, now),
            metric("Motor/Temperature", MetricDataType.Double, 40.0, now));
        sparkplug(
            node,
            "DDATA/plc/press-4",
            2,
            metric("Motor/Current", MetricDataType.Double, Double.NaN, now + 100),
            metric("Motor/Temperature", MetricDataType.Double, 41.5, now + 100));

        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> values(receiver, "st-01").size() >= 2 && has(receiver, 41.5));
        // Retained overflow, not JSON, Infinity, year 9.5 million, NaN: five refusals, one each.
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.southboundRejected() == 5);
        assertThat(agent.southboundDisconnects()).as("machine-side connections lost").isZero();
        assertThat(agent.allMachinesConnected()).isTrue();
        assertThat(values(receiver, "st-01"))
            .extracting(SignalValue::value, SignalValue::quality)
            .containsExactlyInAnyOrder(tuple(3.0, Quality.UNCERTAIN), tuple(42.0, Quality.GOOD));
        assertThat(agent.sourceClockOff()).isEqualTo(1);
        // The NaN current is skipped (a reading of bad quality would be the only NaN allowed).
        assertThat(values(receiver, "press-4"))
            .filteredOn(v -> v.ts() == now + 100)
            .extracting(SignalValue::signal, SignalValue::value)
            .containsExactly(tuple("motor_temperature", 41.5));
        node.disconnect();
        node.close();
      } finally {
        device.disconnect();
        device.close();
      }
    }
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Metric metric(String name, MetricDataType type, Object value, long ts)
      throws Exception {
    return new Metric.MetricBuilder(name, type, value).timestamp(new Date(ts)).createMetric();
  }

  private static void sparkplug(MqttClient node, String path, long seq, Metric... metrics)
      throws Exception {
    SparkplugBPayload payload =
        new SparkplugBPayload.SparkplugBPayloadBuilder(seq)
            .setTimestamp(new Date())
            .addMetrics(List.of(metrics))
            .createPayload();
    node.publish(
        "spBv1.0/plant1/" + path,
        new SparkplugBPayloadEncoder().getBytes(payload, false),
        1,
        false);
  }

  private static List<SignalValue> values(Fixtures.Receiver receiver, String machine) {
    return receiver.envelopesInArrivalOrder().stream()
        .filter(e -> e.machine().id().equals(machine))
        .map(Envelope::values)
        .flatMap(List::stream)
        .toList();
  }

  private static boolean has(Fixtures.Receiver receiver, double value) {
    return values(receiver, "press-4").stream().anyMatch(v -> v.value() == value);
  }
}
