package io.gemba.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.gemba.jobs.functions.ParkSpec;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.model.envelope.Topics;
import io.gemba.services.LocalServices;
import io.gemba.testkit.InfluxRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KPI job in a local MiniCluster between a real mosquitto and a real influxd. */
class KpiJobIntegrationIT {

  private static final String PARK =
      """
      id: test-park
      # The 45 s breakdown below is downtime, not a small stop, and minutes close 30 s after
      # their end.
      oee: { microStopLimit: PT30S }
      factories:
        - id: zj-electronics
          gateways: [gw-1]
          timeZone: Asia/Shanghai
          lines:
            - id: smt-2
              machines:
                - { id: cnc-07, kind: cnc, idealCycleSeconds: 20 }
      """;

  /** 2026-01-01T00:00:00Z, a minute boundary. */
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private static final MachineRef CNC = new MachineRef("zj-electronics", "smt-2", "cnc-07");

  @TempDir Path dir;

  private final EnvelopeCodec codec = new EnvelopeCodec();

  private static Envelope envelope(
      long seq, List<SignalValue> values, List<StateChange> states, List<CounterReading> counters) {
    return new Envelope(1, "gw-1", null, seq, T0, CNC, values, states, counters);
  }

  private static CounterReading total(long ts, long v) {
    return new CounterReading(Counter.TOTAL, ts, v, Quality.GOOD);
  }

  private static CounterReading good(long ts, long v) {
    return new CounterReading(Counter.GOOD, ts, v, Quality.GOOD);
  }

  private static StateChange state(long ts, MachineState s) {
    return new StateChange(ts, s, Quality.GOOD);
  }

  @Test
  void handCheckedMinutes_areStored_andBadMessagesAreRejected() throws Exception {
    try (LocalServices services = LocalServices.start(dir);
        InfluxRows influx = InfluxRows.open(services.influx().url(), "gemba")) {
      ParkSpec park = ParkSpec.of(Path.of("park.yaml"), PARK);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(KpiJobCommand.jobConfiguration());
      env.setParallelism(1);
      KpiJobCommand.create(
              park,
              services.broker().endpoint(),
              services.influx().endpoint(),
              "gemba",
              // Replays readings of 2026-01-01: no lower bound on source time.
              KpiJob.Timing.DEFAULTS
                  .withGapGrace(Duration.ofSeconds(2))
                  .withSourceTimeBounds(Duration.ofMinutes(1), Duration.ofDays(365 * 30)),
              KpiJobCommand.SESSION_EXPIRY)
          .build(env);
      JobClient job = env.executeAsync("kpi-test");
      MqttClient publisher =
          new MqttClient(services.broker().url(), "test-pub", new MemoryPersistence());
      publisher.connect(new MqttConnectionOptions());
      // A dashboard's view: the live KPI topics.
      Map<String, String> live = new ConcurrentHashMap<>();
      // Anomalies are not retained and several may come (the spike, the clock): keep them all.
      List<String> anomalyMessages = new CopyOnWriteArrayList<>();
      MqttClient dashboard =
          new MqttClient(services.broker().url(), "test-dashboard", new MemoryPersistence());
      dashboard.connect(new MqttConnectionOptions());
      dashboard.subscribe(
          new MqttSubscription[] {new MqttSubscription("gemba/v1/#", 1)},
          new IMqttMessageListener[] {
            (topic, message) -> {
              String text = new String(message.getPayload(), StandardCharsets.UTF_8);
              live.put(topic, text);
              if (topic.endsWith("/kpi/anomaly")) {
                anomalyMessages.add(text);
              }
            }
          });
      try {
        String topic = Topics.telemetry(CNC);
        // The source subscribes once the job runs; probe until a message gets through.
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  publisher.publish(topic, "probe".getBytes(StandardCharsets.UTF_8), 1, false);
                  return influx.count("SELECT count(reason) FROM rejected_messages") > 0;
                });

        publish(
            publisher,
            envelope(
                1,
                List.of(),
                List.of(state(T0, MachineState.PRODUCING)),
                List.of(total(T0, 0), good(T0, 0))));
        publish(
            publisher,
            envelope(
                2,
                List.of(),
                List.of(state(T0 + 45_000, MachineState.DOWN)),
                List.of(
                    total(T0 + 20_000, 1),
                    good(T0 + 20_000, 1),
                    total(T0 + 40_000, 2),
                    good(T0 + 40_000, 2))));
        publisher.publish(
            "gemba/v1/zj-electronics/smt-2/cnc-99/telemetry",
            codec.encode(
                new Envelope(
                    1,
                    "gw-1",
                    null,
                    3,
                    T0,
                    new MachineRef("zj-electronics", "smt-2", "cnc-99"),
                    List.of(),
                    List.of(),
                    List.of())),
            1,
            false);
        publish(
            publisher,
            envelope(
                4,
                List.of(),
                List.of(state(T0 + 90_000, MachineState.PRODUCING)),
                List.of(total(T0 + 110_000, 3))));
        // Not later than the spindle load below: event time must not pass the load's first
        // seconds before they arrive, or the anomaly detector would see them as late.
        publish(
            publisher,
            envelope(
                5,
                List.of(new SignalValue("spindle_speed", T0 + 90_000, 12_000, Quality.GOOD)),
                List.of(),
                List.of()));

        // Envelopes 6 to 8 never come: a gap, reported once the grace has passed.
        publish(publisher, envelope(9, List.of(), List.of(), List.of()));
        // Two minutes of spindle load while producing, with one spike.
        List<SignalValue> load = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
          double value = 55 + ((i * 37) % 11 - 5) * 0.5 + (i == 100 ? 40 : 0);
          load.add(new SignalValue("spindle_load", T0 + 91_000 + i * 1_000L, value, Quality.GOOD));
        }
        publish(
            publisher,
            new Envelope(1, "gw-1", null, 10, T0 + 211_000, CNC, load, List.of(), List.of()));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> influx.count("SELECT count(score) FROM anomalies") >= 2);

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> influx.count("SELECT count(run_ms) FROM oee") >= 2);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> influx.count("SELECT count(missing) FROM gaps") >= 1);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> influx.count("SELECT count(run_ms) FROM oee_rollup") >= 6);
        await()
            .alias("the spike on the live anomaly topic")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> anomalyMessages.stream().anyMatch(m -> m.contains("\"rule\":\"outlier\"")));
        await()
            .alias("the park's live OEE")
            .atMost(Duration.ofSeconds(30))
            .until(() -> live.containsKey("gemba/v1/kpi/oee"));
      } finally {
        dashboard.disconnect();
        dashboard.close();
        publisher.disconnect();
        publisher.close();
        job.cancel().get();
      }

      List<InfluxRows.Row> minutes = influx.rows("SELECT * FROM oee ORDER BY time");
      assertThat(minutes).hasSizeGreaterThanOrEqualTo(2);
      InfluxRows.Row first = minutes.get(0);
      assertThat(first.get("time")).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(first.number("run_ms")).isEqualTo(45_000);
      assertThat(first.number("total_count")).isEqualTo(2);
      assertThat(first.number("availability")).isCloseTo(0.75, within(1e-12));
      assertThat(first.number("performance")).isCloseTo(40.0 / 45, within(1e-12));
      assertThat(first.number("quality")).isCloseTo(1.0, within(1e-12));
      assertThat(first.number("oee")).isCloseTo(40.0 / 60, within(1e-12));

      InfluxRows.Row second = minutes.get(1);
      assertThat(second.get("time")).isEqualTo("2026-01-01T00:01:00Z");
      assertThat(second.number("run_ms")).isEqualTo(30_000);
      assertThat(second.number("total_count")).isEqualTo(1);
      assertThat(second.number("good_count")).isEqualTo(0);
      assertThat(second.number("oee")).isEqualTo(0.0);

      assertThat(influx.rows("SELECT reason FROM rejected_messages"))
          .extracting(r -> (String) r.get("reason"))
          .anySatisfy(reason -> assertThat(reason).contains("not valid JSON"))
          .anySatisfy(reason -> assertThat(reason).contains("'cnc-99' is not in the park file"));
      assertThat(influx.rows("SELECT state FROM machine_state"))
          .extracting(r -> (String) r.get("state"))
          .containsExactly("producing", "down", "producing");
      assertThat(influx.count("SELECT count(value) FROM telemetry")).isEqualTo(121);
      // The spike, at its own timestamp; and envelope 5, whose reading is 190 s after the
      // envelope was sent, shows a machine clock that is off.
      List<InfluxRows.Row> anomalies = influx.rows("SELECT * FROM anomalies");
      assertThat(anomalies)
          .anySatisfy(
              a -> {
                assertThat(a.get("rule")).isEqualTo("outlier");
                assertThat(a.get("signal")).isEqualTo("spindle_load");
                assertThat(a.get("time")).isEqualTo("2026-01-01T00:03:11Z");
                assertThat((String) a.get("message")).contains("spindle_load jumped");
              })
          .anySatisfy(a -> assertThat(a.get("rule")).isEqualTo("clock_jump"));
      assertThat(anomalies).filteredOn(a -> "outlier".equals(a.get("rule"))).hasSize(1);
      // One machine per line, factory and park: each rollup of the first minute is that minute.
      assertThat(influx.rows("SELECT * FROM oee_rollup WHERE time = '2026-01-01T00:00:00Z'"))
          .hasSize(3)
          .allSatisfy(
              r -> {
                assertThat(r.number("run_ms")).isEqualTo(45_000);
                assertThat(r.number("planned_ms")).isEqualTo(60_000);
                assertThat(r.number("oee")).isCloseTo(40.0 / 60, within(1e-12));
                assertThat(r.number("reporting")).isEqualTo(1);
              })
          .extracting(r -> (String) r.get("scope"))
          .containsExactlyInAnyOrder("line", "factory", "park");
      // The breakdown's time by reason (the machine gave none: the state's name) and as a loss.
      assertThat(influx.rows("SELECT * FROM stop_reasons"))
          .extracting(r -> r.get("time") + " " + r.get("reason") + " " + r.number("ms"))
          .containsExactly(
              "2026-01-01T00:00:00Z down 15000.0", "2026-01-01T00:01:00Z down 30000.0");
      InfluxRows.Row firstMinute = minutes.get(0);
      assertThat(firstMinute.number("loss_unplanned_stop_ms")).isEqualTo(15_000);
      assertThat(firstMinute.number("loss_slow_cycle_ms")).isEqualTo(45_000 - 40_000);
      // Shift to date: the factory keeps no shifts, so its shift is the local day, which began
      // eight hours before the first reading (Shanghai), unknown time.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  influx.count("SELECT count(run_ms) FROM oee_shift WHERE scope = 'machine'") >= 1);
      assertThat(influx.rows("SELECT * FROM oee_shift WHERE scope = 'machine'"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.get("time")).isEqualTo("2025-12-31T16:00:00Z");
                assertThat(s.get("shift")).isEqualTo("day");
                assertThat(s.number("run_ms")).isEqualTo(45_000 + 30_000);
                assertThat(s.number("known_planned_ms")).isEqualTo(120_000);
                assertThat(s.number("planned_ms")).isEqualTo(8 * 3_600_000 + 120_000);
              });
      // Live: the latest minute of the machine, its line, factory and the park, and the spike.
      assertThat(live.get("gemba/v1/zj-electronics/smt-2/cnc-07/kpi/oee"))
          .contains("\"scope\":\"machine\"")
          .contains("\"id\":\"cnc-07\"");
      assertThat(live)
          .containsKeys(
              "gemba/v1/zj-electronics/smt-2/kpi/oee",
              "gemba/v1/zj-electronics/kpi/oee",
              "gemba/v1/kpi/oee");
      assertThat(anomalyMessages)
          .anySatisfy(
              m -> assertThat(m).contains("\"rule\":\"outlier\"").contains("spindle_load jumped"));
      // Envelope 3 was rejected (unknown machine) but arrived, so it is no gap.
      assertThat(influx.rows("SELECT * FROM gaps"))
          .singleElement()
          .satisfies(
              g -> {
                assertThat(g.get("gateway")).isEqualTo("gw-1");
                assertThat(g.number("from_seq")).isEqualTo(6);
                assertThat(g.number("to_seq")).isEqualTo(8);
                assertThat(g.number("missing")).isEqualTo(3);
              });
    }
  }

  private void publish(MqttClient client, Envelope e) throws Exception {
    client.publish(Topics.telemetry(e.machine()), codec.encode(e), 1, false);
  }
}
