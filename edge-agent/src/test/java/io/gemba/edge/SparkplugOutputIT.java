package io.gemba.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
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

/** The optional Sparkplug B output, checked by a host application played with Eclipse Tahu. */
class SparkplugOutputIT {

  @TempDir Path dir;

  private record Received(String type, String device, SparkplugBPayload payload) {
    Metric metric(String name) {
      return payload.getMetrics().stream()
          .filter(m -> name.equals(m.getName()))
          .findFirst()
          .orElseThrow();
    }

    List<String> names() {
      return payload.getMetrics().stream().map(Metric::getName).toList();
    }
  }

  @Test
  void birthsDataSequenceRebirthAndDeath() throws Exception {
    int opcPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        ParkSimulation simulation =
            ParkSimulation.start(
                Fixtures.singleCncPark(),
                "127.0.0.1",
                opcPort,
                new SimClock(System.currentTimeMillis(), 30),
                3,
                m -> {})) {
      List<Received> received = new CopyOnWriteArrayList<>();
      MqttClient host = new MqttClient(broker.url(), "scada-host", new MemoryPersistence());
      host.connect();
      host.subscribe(
          new MqttSubscription[] {new MqttSubscription("spBv1.0/plant1/#", 1)},
          new IMqttMessageListener[] {
            (topic, message) -> {
              String[] levels = topic.split("/");
              received.add(
                  new Received(
                      levels[2],
                      levels.length > 4 ? levels[4] : null,
                      new SparkplugBPayloadDecoder()
                          .buildFromByteArray(message.getPayload(), null)));
            }
          });
      String yaml =
          GatewayConfigTest.VALID
              .replace(
                  "  broker: tcp://127.0.0.1:1883\n",
                  "  broker: " + broker.url() + "\n  sparkplug: { groupId: plant1 }\n")
              .replace("127.0.0.1:4840", "127.0.0.1:" + opcPort)
              .replace("BUFFER_DIR", dir.resolve("buffer").toString());
      GatewayConfig config =
          new YamlConfigLoader().parse(Path.of("gateway.yaml"), yaml, GatewayConfig.class);

      try (EdgeAgent agent = EdgeAgent.start(config)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> received.stream().filter(r -> r.type().equals("DDATA")).count() >= 5);

        // Rebirth on request: NBIRTH again from sequence 0, then the machine's DBIRTH.
        int before = received.size();
        SparkplugBPayload command =
            new SparkplugBPayload.SparkplugBPayloadBuilder()
                .setTimestamp(new Date())
                .addMetric(
                    new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true)
                        .createMetric())
                .createPayload();
        host.publish(
            "spBv1.0/plant1/NCMD/gw-zj-01",
            new SparkplugBPayloadEncoder().getBytes(command, false),
            1,
            false);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    // A snapshot: a view of the live list breaks when a message arrives meanwhile.
                    List.copyOf(received).stream()
                        .skip(before)
                        .anyMatch(r -> r.type().equals("DBIRTH")));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> received.get(received.size() - 1).type().equals("NDEATH"));
      host.disconnect();
      host.close();

      Received nbirth = received.get(0);
      assertThat(nbirth.type()).isEqualTo("NBIRTH");
      assertThat(nbirth.payload().getSeq()).isZero();
      assertThat(nbirth.names()).contains("bdSeq", "Node Control/Rebirth");
      long bdSeq = (Long) nbirth.metric("bdSeq").getValue();
      assertThat((Long) received.get(received.size() - 1).metric("bdSeq").getValue())
          .isEqualTo(bdSeq);

      // Every device message follows a birth of its device that names all its metrics, and the
      // node's sequence numbers run on without a gap from each NBIRTH.
      List<String> announced = List.of();
      long expected = 0;
      for (Received r : received) {
        switch (r.type()) {
          case "NBIRTH" -> {
            assertThat(r.payload().getSeq()).isZero();
            expected = 1;
            announced = List.of();
          }
          case "DBIRTH", "DDATA" -> {
            assertThat(r.device()).isEqualTo("cnc-07");
            assertThat(r.payload().getSeq()).isEqualTo(expected);
            expected = (expected + 1) % 256;
            if (r.type().equals("DBIRTH")) {
              announced = r.names();
            } else {
              assertThat(announced).containsAll(r.names());
              assertThat(r.payload().getMetrics())
                  .allSatisfy(m -> assertThat(m.getTimestamp()).isNotNull());
            }
          }
          default -> {}
        }
      }
      assertThat(received)
          .filteredOn(r -> r.type().equals("DBIRTH"))
          .first()
          .satisfies(r -> assertThat(r.names()).contains("spindle_speed"));
      assertThat(received).filteredOn(r -> r.type().equals("NBIRTH")).hasSize(2);
    }
  }
}
