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
import io.gemba.services.LocalServices;
import io.gemba.testkit.InfluxRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One message in ten is malformed — truncated, wrong types, NaN, a megabyte of junk, a valid JSON
 * that is no envelope: each is rejected and stored once, all good data lands, and the job keeps
 * running without a restart (a restart would replay and store the rejections again, at other
 * arrival times).
 */
class MalformedPayloadsIT {

  private static final String PARK =
      """
      id: malformed-park
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
  private static final long T0 = 1_767_225_600_000L;

  /** Rejections other than the start-up probes, which are the five bytes {@code probe}. */
  private static final String NOT_PROBES =
      "SELECT count(bytes) FROM rejected_messages WHERE bytes <> 5";

  @TempDir Path dir;

  private static byte[] bad(int i, byte[] good) {
    return switch (i % 5) {
      case 0 -> Arrays.copyOf(good, good.length / 2);
      case 1 ->
          new String(good, StandardCharsets.UTF_8)
              .replace("\"value\":", "\"value\":\"high\",\"x\":")
              .getBytes(StandardCharsets.UTF_8);
      case 2 ->
          new String(good, StandardCharsets.UTF_8)
              .replaceFirst("\"value\":[0-9.]+", "\"value\":NaN")
              .getBytes(StandardCharsets.UTF_8);
      case 3 -> new byte[1 << 20];
      default -> "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
    };
  }

  @Test
  void oneInTenMalformed_eachRejectedOnce_goodDataLands_noRestart() throws Exception {
    try (LocalServices services = LocalServices.start(dir);
        InfluxRows influx = InfluxRows.open(services.influx().url(), "gemba")) {
      JobOnMiniCluster job =
          JobOnMiniCluster.start(
              ParkSpec.of(Path.of("park.yaml"), PARK),
              services.broker().endpoint(),
              services.influx().endpoint(),
              // Replays readings of 2026-01-01: no lower bound on source time.
              KpiJob.Timing.DEFAULTS.withSourceTimeBounds(
                  Duration.ofMinutes(1), Duration.ofDays(365 * 30)));
      MqttClient publisher =
          new MqttClient(services.broker().url(), "malformed-pub", new MemoryPersistence());
      publisher.connect(new MqttConnectionOptions());
      EnvelopeCodec codec = new EnvelopeCodec();
      String topic = Topics.telemetry(M1);
      try {
        // The job subscribes once it runs: probe with junk until a rejection is stored.
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  publisher.publish(topic, "probe".getBytes(StandardCharsets.UTF_8), 1, false);
                  return influx.count("SELECT count(bytes) FROM rejected_messages") > 0;
                });
        int good = 0;
        int malformed = 0;
        for (int i = 0; i < 300; i++) {
          Envelope e =
              new Envelope(
                  1,
                  "gw-1",
                  null,
                  1_000 + i,
                  T0 + i * 1_000L,
                  M1,
                  List.of(
                      new SignalValue(
                          "spindle_speed", T0 + i * 1_000L, 12_000.5 + i, Quality.GOOD)),
                  List.of(),
                  List.of());
          byte[] bytes = codec.encode(e);
          if (i % 10 == 9) {
            publisher.publish(topic, bad(malformed++, bytes), 1, false);
          } else {
            publisher.publish(topic, bytes, 1, false);
            good++;
          }
        }
        long goodValues = good;
        long rejected = malformed;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    influx.count("SELECT count(value) FROM telemetry") == goodValues
                        && influx.count(NOT_PROBES) >= rejected);
        // Some more checkpoints, then nothing was stored twice and the job never restarted.
        Thread.sleep(3_000);
        assertThat(influx.count(NOT_PROBES)).isEqualTo(rejected);
        assertThat(influx.count("SELECT count(value) FROM telemetry")).isEqualTo(goodValues);
        // RUNNING alone would not do: a job that restarted is RUNNING again.
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.taskRestarts()).as("task restarts").isZero();
      } finally {
        publisher.disconnect();
        publisher.close();
        job.close();
      }
    }
  }
}
