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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * influxd stopped for 60 s while telemetry keeps coming: the job holds the points back (its writes
 * retry, the broker keeps what the job has not acknowledged), and once influxd is back every point
 * is stored.
 */
class InfluxOutageIT {

  private static final String PARK =
      """
      id: outage-park
      factories:
        - id: f1
          gateways: [gw-outage]
          timeZone: UTC
          lines:
            - id: l1
              machines:
                - { id: m1, kind: cnc, idealCycleSeconds: 20 }
      """;

  private static final MachineRef M1 = new MachineRef("f1", "l1", "m1");
  private static final int VALUES_PER_ENVELOPE = 5;

  @TempDir Path dir;

  @Test
  void influxStoppedForAMinute_noPointIsMissingOnceItIsBack() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
      AtomicReference<InfluxDatabase> influx =
          new AtomicReference<>(InfluxDatabase.start(dir.resolve("influxdb")));
      influx.get().createDatabase("gemba");
      String influxUrl = influx.get().url();
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              KpiJobCommand.jobConfiguration(Duration.ofSeconds(1)));
      env.setParallelism(1);
      KpiJobCommand.create(
              ParkSpec.of(Path.of("park.yaml"), PARK),
              broker.endpoint(),
              influx.get().endpoint(),
              "gemba",
              Duration.ofSeconds(5))
          .build(env);
      JobClient job = env.executeAsync("influx-outage-test");
      MqttClient publisher = new MqttClient(broker.url(), "outage-pub", new MemoryPersistence());
      publisher.connect(new MqttConnectionOptions());
      EnvelopeCodec codec = new EnvelopeCodec();
      long t0 = System.currentTimeMillis();
      long seq = t0;
      try (InfluxRows client = InfluxRows.open(influxUrl, "gemba")) {
        // The job subscribes once it runs: probe until a probe's point is stored. Probes sent
        // before that reach no one, so only the signal sent afterwards is counted.
        long n = 0;
        while (client.count("SELECT count(value) FROM telemetry") == 0) {
          publisher.publish(
              Topics.telemetry(M1), codec.encode(envelope(seq++, n++, "probe")), 1, false);
          Thread.sleep(500);
          assertThat(System.currentTimeMillis() - t0).isLessThan(60_000);
        }
        long published = 0;

        long stopAt = System.currentTimeMillis() + 5_000;
        long restartAt = stopAt + 60_000;
        long endAt = restartAt + 5_000;
        boolean stopped = false;
        boolean restarted = false;
        while (System.currentTimeMillis() < endAt) {
          if (!stopped && System.currentTimeMillis() >= stopAt) {
            influx.get().close();
            stopped = true;
          }
          if (stopped && !restarted && System.currentTimeMillis() >= restartAt) {
            // Back on the same port, with the same data directory.
            influx.set(influx.get().restart());
            restarted = true;
          }
          publisher.publish(
              Topics.telemetry(M1), codec.encode(envelope(seq++, n++, "spindle_speed")), 1, false);
          published += VALUES_PER_ENVELOPE;
          Thread.sleep(100);
        }
        long expected = published;
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .ignoreExceptions()
            .until(
                () ->
                    client.count(
                            "SELECT count(value) FROM telemetry WHERE signal = 'spindle_speed'")
                        == expected);
      } finally {
        publisher.disconnect();
        publisher.close();
        job.cancel().get();
        influx.get().close();
      }
    }
  }

  /** An hour before the test: source times within the job's bounds on its clock. */
  private static final long BASE = System.currentTimeMillis() / 1_000 * 1_000 - 3_600_000;

  /** Envelope {@code n}: five values of {@code signal} 100 ms apart, at distinct timestamps. */
  private static Envelope envelope(long seq, long n, String signal) {
    List<SignalValue> values = new ArrayList<>();
    long ts = BASE + n * 1_000;
    for (int i = 0; i < VALUES_PER_ENVELOPE; i++) {
      values.add(new SignalValue(signal, ts + i * 100, 12_000 + n + i, Quality.GOOD));
    }
    return new Envelope(1, "gw-outage", null, seq, ts + 500, M1, values, List.of(), List.of());
  }
}
