package io.gemba.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.services.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttProbeIT {

  @TempDir Path dir;

  @Test
  void keepsEveryDeliveryWithItsFlagsAndWaitsAcrossABrokerRestart() throws Exception {
    MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"));
    try (MqttProbe probe =
        MqttProbe.on(broker.url())
            .clientId("probe")
            .subscribe("a/#")
            .persistentSession(Duration.ofMinutes(5))
            .start()) {
      MqttClient sender = new MqttClient(broker.url(), "sender", new MemoryPersistence());
      sender.connect();
      byte[] same = "same".getBytes(StandardCharsets.UTF_8);
      sender.publish("a/1", same, 1, false);
      sender.publish("a/1", same, 1, false);
      sender.publish("a/2", "kept".getBytes(StandardCharsets.UTF_8), 0, true);
      sender.publish("b/1", same, 1, false);

      assertThat(probe.awaitAtLeast(3, Duration.ofSeconds(10)))
          .extracting(d -> d.topic() + ":" + new String(d.payload(), StandardCharsets.UTF_8))
          .containsExactly("a/1:same", "a/1:same", "a/2:kept");
      assertThat(probe.deliveries()).extracting(MqttProbe.Delivery::qos).containsExactly(1, 1, 0);
      // Sent to a subscriber already there, a retained message comes without the retain flag.
      assertThat(probe.deliveries(t -> t.equals("a/2")))
          .singleElement()
          .matches(d -> !d.retained() && !d.duplicate());
      sender.disconnect();
      sender.close();

      // Away while the broker restarts: the probe connects again by itself.
      broker = broker.restart();
      MqttClient again = new MqttClient(broker.url(), "sender-2", new MemoryPersistence());
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(probe::isConnected);
      again.connect();
      again.publish("a/3", new MqttMessage("after".getBytes(StandardCharsets.UTF_8)));
      // The broker keeps the retained a/2 over its restart and sends it again, flagged retained,
      // when the probe subscribes again: a repeat the probe records like any other.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> probe.deliveries(t -> t.equals("a/3")).size() == 1);
      assertThat(probe.deliveries(t -> !t.equals("a/3")).subList(3, probe.size() - 1))
          .isNotEmpty()
          .allMatch(d -> d.topic().equals("a/2") && d.retained());
      again.disconnect();
      again.close();

      int arrived = probe.size();
      assertThatThrownBy(() -> probe.awaitAtLeast(arrived + 1, Duration.ofMillis(200)))
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("got " + arrived);
    } finally {
      broker.close();
    }
  }
}
