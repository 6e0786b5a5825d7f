package io.gemba.jobs.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.services.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT source on real mosquitto in a MiniCluster: a job that fails part-way through restarts
 * from its checkpoint, and the broker redelivers everything the checkpoint did not cover, so every
 * published message reaches the sink. The sink is deliberately not idempotent-checked: it counts
 * distinct payloads, which the restart must not lose.
 */
class MqttSourceIT {

  private static final int MESSAGES = 3_000;
  private static final Set<String> RECEIVED = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger SEEN = new AtomicInteger();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  @TempDir Path dir;

  /** Fails the job once, after it has seen a third of the messages. */
  static final class FailOnce implements MapFunction<MqttRecord, String> {
    @Override
    public String map(MqttRecord record) {
      if (SEEN.incrementAndGet() == MESSAGES / 3 && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure");
      }
      return new String(record.payload(), StandardCharsets.UTF_8);
    }
  }

  /** Keeps every payload it is given, in a set shared with the test. */
  static final class CollectingSink implements Sink<String> {
    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(String element, Context ctx) {
          RECEIVED.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void failureMidStream_restartsFromCheckpoint_andNothingIsLost() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              io.gemba.jobs.KpiJobCommand.jobConfiguration(Duration.ofMillis(300)));
      env.setParallelism(1);
      env.fromSource(
              new MqttSource(broker.endpoint(), "test/#", "source-test", Duration.ofHours(1)),
              WatermarkStrategy.noWatermarks(),
              "mqtt")
          .map(new FailOnce())
          .sinkTo(new CollectingSink());
      JobClient job = env.executeAsync("mqtt-source-test");
      MqttClient publisher = new MqttClient(broker.url(), "publisher", new MemoryPersistence());
      publisher.connect(new MqttConnectionOptions());
      try {
        // The job subscribes once it runs; probe until a message gets through.
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  publisher.publish(
                      "test/probe", "probe".getBytes(StandardCharsets.UTF_8), 1, false);
                  return RECEIVED.contains("probe");
                });
        for (int i = 0; i < MESSAGES; i++) {
          publishQos1(publisher, "test/m", ("m-" + i).getBytes(StandardCharsets.UTF_8));
        }
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> RECEIVED.stream().filter(p -> p.startsWith("m-")).count() == MESSAGES);
        assertThat(FAILED).isTrue();
        assertThat(SEEN.get()).isGreaterThanOrEqualTo(MESSAGES);
      } finally {
        publisher.disconnect();
        publisher.close();
        job.cancel().get();
      }
    }
  }

  /**
   * Publishes at QoS 1, waiting briefly when Paho reports its in-flight window full: its count of
   * messages in flight is freed a moment after a blocking publish returns, so a tight loop of
   * publishes can outrun it (reason code 32202).
   */
  private static void publishQos1(MqttClient publisher, String topic, byte[] payload)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        publisher.publish(topic, payload, 1, false);
        return;
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        if (e.getReasonCode() != 32202 || attempt == 100) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }
}
