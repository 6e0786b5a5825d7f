package io.gemba.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.jobs.functions.ParkSpec;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.Topics;
import io.gemba.services.InfluxDatabase;
import io.gemba.services.MosquittoBroker;
import io.gemba.testkit.InfluxRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB with {@code max-values-per-tag = 8}: a machine that sends 12 signal names has the points
 * of its last 4 refused. They go to dead letters with InfluxDB's count, the job never restarts (it
 * would replay the same envelope into the same refusal for ever), and the readings sent afterwards
 * land.
 */
class InfluxRefusalsIT {

  private static final int MAX_VALUES_PER_TAG = 8;
  private static final int SIGNALS = 12;
  private static final int VALUES_PER_SIGNAL = 3;

  private static final String PARK =
      """
      id: refusals-park
      limits: { signalsPerMachine: 50 }
      factories:
        - id: f1
          gateways: [gw-1]
          timeZone: UTC
          lines:
            - id: l1
              machines:
                - { id: m1, kind: cnc, idealCycleSeconds: 20 }
      """;

  private static final MachineRef M1 = new MachineRef("f1", "l1", "m1");

  @TempDir Path dir;

  @Test
  void pointsOverMaxValuesPerTag_goToDeadLetters_theJobNeverRestarts_goodDataLands()
      throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mqtt"));
        InfluxDatabase db =
            InfluxDatabase.startWithDataSettings(
                dir.resolve("influx"), List.of("max-values-per-tag = " + MAX_VALUES_PER_TAG));
        InfluxRows influx = InfluxRows.open(db.url(), "gemba")) {
      db.createDatabase("gemba");
      try (JobOnMiniCluster job =
          JobOnMiniCluster.start(
              ParkSpec.of(Path.of("park.yaml"), PARK),
              broker.endpoint(),
              db.endpoint(),
              KpiJob.Timing.DEFAULTS)) {
        MqttClient publisher =
            new MqttClient(broker.url(), "refusals-pub", new MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
        EnvelopeCodec codec = new EnvelopeCodec();
        String topic = Topics.telemetry(M1);
        try {
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    publisher.publish(topic, "probe".getBytes(StandardCharsets.UTF_8), 1, false);
                    return influx.count("SELECT count(bytes) FROM gemba..rejected_messages") > 0;
                  });
          long t0 = System.currentTimeMillis() - 60_000;
          // One signal per envelope, in order: InfluxDB creates the first 8 tag values and refuses
          // the rest, whatever batches the sink makes of them.
          for (int s = 0; s < SIGNALS; s++) {
            publisher.publish(topic, codec.encode(envelope(s, 1 + s, t0, s)), 1, false);
            Thread.sleep(200);
          }
          // InfluxDB checks max-values-per-tag write by write, not atomically across writes in
          // flight, and now and then admits a ninth value: what it did not store must be in the
          // dead letters, to the point.
          String storedQuery = "SELECT count(value) FROM gemba..telemetry";
          String droppedQuery = "SELECT sum(dropped) FROM gemba..dead_letters";
          long sent = (long) SIGNALS * VALUES_PER_SIGNAL;
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> influx.count(storedQuery) + influx.count(droppedQuery) == sent);
          long refused = influx.count(droppedQuery);
          assertThat(refused)
              .as("points refused over the limit")
              .isGreaterThanOrEqualTo(
                  (long) (SIGNALS - MAX_VALUES_PER_TAG - 1) * VALUES_PER_SIGNAL);
          long before = influx.count(storedQuery);
          // Afterwards, the known signals keep landing.
          for (int s = 0; s < MAX_VALUES_PER_TAG; s++) {
            publisher.publish(topic, codec.encode(envelope(s, 100 + s, t0 + 10_000, s)), 1, false);
          }
          long stored = before + (long) MAX_VALUES_PER_TAG * VALUES_PER_SIGNAL;
          await().atMost(Duration.ofSeconds(60)).until(() -> influx.count(storedQuery) == stored);
          assertThat(influx.count(droppedQuery)).isEqualTo(refused);
          assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
          assertThat(job.taskRestarts()).as("task restarts").isZero();
        } finally {
          publisher.disconnect();
          publisher.close();
        }
      }
    }
  }

  /** Signal {@code s_<n>}, three values a second apart from {@code t0 + n} seconds. */
  private static Envelope envelope(int signal, long seq, long t0, int n) {
    List<SignalValue> values = new ArrayList<>();
    String name = String.format("s_%02d", signal);
    for (int i = 0; i < VALUES_PER_SIGNAL; i++) {
      values.add(new SignalValue(name, t0 + n * 1_000L + i * 100, 10 + i, Quality.GOOD));
    }
    return new Envelope("gw-1", 1, seq, t0 + n * 1_000L, M1, values, List.of(), List.of());
  }
}
