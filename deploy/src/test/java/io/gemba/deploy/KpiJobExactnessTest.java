package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.southbound.StateTracker;
import io.gemba.jobs.KpiJob;
import io.gemba.jobs.KpiJobCommand;
import io.gemba.jobs.functions.ParkSpec;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Park;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.Envelope;
import io.gemba.model.envelope.EnvelopeCodec;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.model.envelope.Topics;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeTotals;
import io.gemba.model.oee.StateTimes;
import io.gemba.services.LocalServices;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.truth.ShiftTruth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KPI job on a MiniCluster of two TaskManagers, between real mosquitto and influxd, fed a
 * multi-factory park played in-process over 70 simulated minutes: two shifts in each factory, one
 * across midnight, a planned stop, a flow line. Every stored machine minute (times, counts, state
 * times, stop reasons), every line, factory and park rollup, and every machine's shift equals the
 * simulators' ground truth exactly; with a TaskManager killed half-way through the stream too (and
 * state in RocksDB), and no sequence gap is reported.
 */
class KpiJobExactnessTest {

  private static final String PARK =
      """
      id: two-plants
      factories:
        - id: sh-plant
          timeZone: Asia/Shanghai
          shifts:
            - { name: late, start: "23:40", end: "00:10" }
            - { name: night, start: "00:10", end: "00:40" }
          plannedStops:
            - { name: tea, start: "00:20", end: "00:25" }
          lines:
            - id: cell-1
              machines:
                - id: cnc-a
                  kind: cnc
                  idealCycleSeconds: 20
                  production: { mtbf: PT10M, mttr: PT3M, changeoverEvery: PT15M, changeoverDuration: PT3M, rejectRate: 0.1 }
                - { id: robot-a, kind: robot, idealCycleSeconds: 30 }
            - id: pack-1
              flow: { buffer: 2 }
              machines:
                - { id: st-1, kind: line_station, idealCycleSeconds: 6, production: { mtbf: PT5M, mttr: PT1M } }
                - { id: st-2, kind: line_station, idealCycleSeconds: 5 }
        - id: be-plant
          timeZone: Europe/Berlin
          shifts:
            - { name: early, start: "16:40", end: "17:10" }
            - { name: late, start: "17:10", end: "17:40" }
          lines:
            - id: m1
              machines:
                - { id: cnc-b, kind: cnc, idealCycleSeconds: 45 }
                - { id: cnc-c, kind: cnc, idealCycleSeconds: 30, production: { microStopEvery: PT2M } }
      """;

  /** 23:35 in Shanghai, 16:35 in Berlin. */
  private static final long ORIGIN = Instant.parse("2026-03-10T15:35:00Z").toEpochMilli();

  private static final long MINUTE = 60_000;
  private static final long END = ORIGIN + 70 * MINUTE;
  private static final long STEP = 10_000;
  private static final Map<Object, MachineState> STATES =
      Map.of(
          0, MachineState.UNKNOWN,
          1, MachineState.PRODUCING,
          2, MachineState.IDLE,
          3, MachineState.DOWN,
          4, MachineState.SETUP,
          5, MachineState.PLANNED_STOP);

  private static Park park;
  private static Feed feed;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  /** What the gateways send, and what really happened. */
  private record Feed(
      List<Envelope> envelopes,
      Map<String, Map<Long, MachineOee>> minutes,
      Map<String, List<ShiftTruth>> shifts) {}

  @BeforeAll
  static void play() {
    park = new YamlConfigLoader().parse(Path.of("two-plants.yaml"), PARK, Park.class);
    feed = play(park);
  }

  @Test
  void failureFree_everyMinuteRollupAndShiftEqualsTheTruth() throws Exception {
    run(false);
  }

  @Test
  void taskManagerKilledHalfWay_sameKpis_nothingLost_noGap() throws Exception {
    run(true);
  }

  private void run(boolean killTaskManager) throws Exception {
    try (LocalServices services = LocalServices.start(dir)) {
      // The failover run keeps its state in RocksDB with checkpoints on disk, as a large site
      // would; the failure-free run on the heap.
      Configuration conf =
          killTaskManager
              ? KpiJobCommand.jobConfiguration(
                  Duration.ofSeconds(1),
                  KpiJobCommand.StateBackend.rocksdb,
                  dir.resolve("checkpoints").toUri().toString())
              : KpiJobCommand.jobConfiguration(Duration.ofSeconds(1));
      conf.set(
          TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
          TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
      MiniClusterConfiguration clusterConf =
          new MiniClusterConfiguration.Builder()
              .setConfiguration(conf)
              .setNumTaskManagers(2)
              .setNumSlotsPerTaskManager(2)
              .build();
      try (MiniCluster cluster = new MiniCluster(clusterConf)) {
        cluster.start();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KpiJobCommand.create(
                ParkSpec.of(Path.of("two-plants.yaml"), PARK),
                services.broker().url(),
                services.influx().url(),
                LocalServices.DATABASE,
                KpiJob.Timing.DEFAULTS,
                Duration.ofHours(1))
            .build(env);
        JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
        MqttClient publisher =
            new MqttClient(services.broker().url(), "gateways", new MemoryPersistence());
        publisher.connect(new MqttConnectionOptions());
        try {
          // The source subscribes once the job runs; probe until a message gets through.
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    publisher.publish(
                        Topics.telemetry(new MachineRef("sh-plant", "cell-1", "cnc-a")),
                        "probe".getBytes(StandardCharsets.UTF_8),
                        1,
                        false);
                    return count(services, "SELECT count(bytes) FROM rejected_messages") > 0;
                  });
          List<Envelope> all = feed.envelopes();
          int half = all.size() / 2;
          publish(publisher, all.subList(0, half));
          if (killTaskManager) {
            // Minutes are stored once checkpoints complete: the job is under way, with open
            // minutes in its state and messages not yet acknowledged.
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> count(services, "SELECT count(run_ms) FROM oee") > 20);
            cluster.terminateTaskManager(0).get();
          }
          publish(publisher, all.subList(half, all.size()));

          int expectedMinutes = feed.minutes().values().stream().mapToInt(Map::size).sum();
          await()
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> count(services, "SELECT count(run_ms) FROM oee") >= expectedMinutes);
          assertMachineMinutes(services);
          assertRollups(services);
          assertShifts(services);
          assertThat(count(services, "SELECT count(missing) FROM gaps")).isZero();
          if (killTaskManager) {
            // The kill did hit the job: it restarted, from checkpoints RocksDB wrote to disk
            // (incremental checkpoints share their SST files under shared/).
            assertThat(
                    cluster.getExecutionGraph(job).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted")
                .isPositive();
            try (var shared =
                Files.list(
                    dir.resolve("checkpoints").resolve(job.toHexString()).resolve("shared"))) {
              assertThat(shared.count()).as("RocksDB's shared checkpoint files").isPositive();
            }
          }
        } finally {
          publisher.disconnect();
          publisher.close();
          cluster.cancelJob(job).get();
        }
      }
    }
  }

  private static void publish(MqttClient publisher, List<Envelope> envelopes) throws Exception {
    EnvelopeCodec codec = new EnvelopeCodec();
    for (Envelope e : envelopes) {
      publishQos1(publisher, Topics.telemetry(e.machine()), codec.encode(e));
    }
  }

  /** Every machine minute as stored equals the truth: times, counts, state times, reasons. */
  private void assertMachineMinutes(LocalServices services) throws Exception {
    Map<String, Map<String, Long>> reasons = new HashMap<>();
    for (JsonObject r :
        rows(services, "SELECT machine, reason, ms FROM stop_reasons WHERE ms > 0")) {
      reasons
          .computeIfAbsent(r.getString("machine") + "@" + r.getString("time"), k -> new TreeMap<>())
          .put(r.getString("reason"), r.getLong("ms"));
    }
    int compared = 0;
    long stopReasonsSeen = 0;
    for (JsonObject r : rows(services, "SELECT * FROM oee")) {
      String machine = r.getString("machine");
      long start = Instant.parse(r.getString("time")).toEpochMilli();
      MachineOee truth = feed.minutes().get(machine).get(start);
      String at = machine + "@" + r.getString("time");
      assertThat(truth).as("truth of %s", at).isNotNull();
      StateTimes t = truth.times();
      assertThat(
              List.of(
                  r.getLong("planned_ms"),
                  r.getLong("run_ms"),
                  r.getLong("known_planned_ms"),
                  r.getLong("total_count"),
                  r.getLong("good_count"),
                  r.getLong("startup_rejects")))
          .as("planned, run, known, total, good, startup rejects of %s", at)
          .isEqualTo(
              List.of(
                  truth.inputs().plannedMs(),
                  truth.inputs().runMs(),
                  truth.knownPlannedMs(),
                  truth.inputs().totalCount(),
                  truth.inputs().goodCount(),
                  truth.startupRejects()));
      assertThat(
              List.of(
                  r.getLong("producing_ms"),
                  r.getLong("idle_ms"),
                  r.getLong("down_ms"),
                  r.getLong("setup_ms"),
                  r.getLong("planned_stop_ms"),
                  r.getLong("small_stop_ms")))
          .as("state times of %s", at)
          .isEqualTo(
              List.of(
                  t.producingMs(),
                  t.idleMs(),
                  t.downMs(),
                  t.setupMs(),
                  t.plannedStopMs(),
                  t.smallStopMs()));
      assertThat(reasons.getOrDefault(at, Map.of()))
          .as("stop reasons of %s", at)
          .isEqualTo(new TreeMap<>(truth.stopReasons()));
      stopReasonsSeen += truth.stopReasons().size();
      compared++;
    }
    assertThat(compared).isEqualTo(feed.minutes().values().stream().mapToInt(Map::size).sum());
    assertThat(stopReasonsSeen).isPositive();
  }

  /** Every line, factory and park minute equals the sum of its machines' true minutes. */
  private void assertRollups(LocalServices services) throws Exception {
    Map<String, OeeTotals> expected = new HashMap<>();
    for (MachinePlacement p : park.placements()) {
      String f = p.factory().id();
      for (MachineOee m : feed.minutes().get(p.machine().id()).values()) {
        String time = Instant.ofEpochMilli(m.start()).toString();
        for (String key :
            List.of(
                "line/" + f + "/" + p.line().id(), "factory/" + f + "/" + f, "park//two-plants")) {
          expected.merge(key + "@" + time, OeeTotals.of(m), OeeTotals::plus);
        }
      }
    }
    int compared = 0;
    for (JsonObject r : rows(services, "SELECT * FROM oee_rollup")) {
      // InfluxDB stores no empty tag: the park's factory tag comes back absent.
      String key =
          r.getString("scope")
              + "/"
              + java.util.Objects.requireNonNullElse(r.getString("factory"), "")
              + "/"
              + r.getString("id")
              + "@"
              + r.getString("time");
      OeeTotals truth = expected.get(key);
      assertThat(truth).as("truth of %s", key).isNotNull();
      assertThat(
              List.of(
                  r.getLong("planned_ms"),
                  r.getLong("run_ms"),
                  r.getLong("known_planned_ms"),
                  r.getLong("total_count"),
                  r.getLong("good_count"),
                  r.getLong("small_stop_ms"),
                  r.getLong("setup_ms")))
          .as("rollup %s", key)
          .isEqualTo(
              List.of(
                  truth.plannedMs(),
                  truth.runMs(),
                  truth.knownPlannedMs(),
                  truth.totalCount(),
                  truth.goodCount(),
                  truth.times().smallStopMs(),
                  truth.times().setupMs()));
      if (truth.plannedMs() > 0) {
        assertThat(r.getDouble("oee"))
            .as("oee of %s", key)
            .isCloseTo(truth.figures().oee(), within());
      }
      compared++;
    }
    assertThat(compared).as("rollups stored").isEqualTo(expected.size());
  }

  /** Every shift of every machine that began and ended inside the run equals its truth. */
  private void assertShifts(LocalServices services) throws Exception {
    Map<String, JsonObject> stored = new HashMap<>();
    for (JsonObject r : rows(services, "SELECT * FROM oee_shift WHERE scope = 'machine'")) {
      stored.put(r.getString("id") + "@" + r.getString("time"), r);
    }
    int compared = 0;
    for (Map.Entry<String, List<ShiftTruth>> e : feed.shifts().entrySet()) {
      for (ShiftTruth shift : e.getValue()) {
        if (shift.oee().start() < ORIGIN) {
          continue; // began before the run: the job saw less of it than the truth knows
        }
        String key = e.getKey() + "@" + Instant.ofEpochMilli(shift.oee().start());
        JsonObject r = stored.get(key);
        assertThat(r).as("stored shift %s", key).isNotNull();
        assertThat(r.getString("shift")).isEqualTo(shift.shift());
        MachineOee truth = shift.oee();
        assertThat(
                List.of(
                    r.getLong("planned_ms"),
                    r.getLong("run_ms"),
                    r.getLong("known_planned_ms"),
                    r.getLong("total_count"),
                    r.getLong("good_count"),
                    r.getLong("small_stop_ms")))
            .as("shift %s", key)
            .isEqualTo(
                List.of(
                    truth.inputs().plannedMs(),
                    truth.inputs().runMs(),
                    truth.knownPlannedMs(),
                    truth.inputs().totalCount(),
                    truth.inputs().goodCount(),
                    truth.times().smallStopMs()));
        compared++;
      }
    }
    // Two shifts in each factory began and ended inside the run, for each of six machines.
    assertThat(compared).isEqualTo(12);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  /**
   * Plays the park in-process from {@link #ORIGIN} to {@link #END}, and turns what the machines'
   * variables do into one envelope per machine every 10 s, as a gateway configured like the
   * simulators' gateway files would: state codes through the usual map, the stop reason joined to
   * the state, the part counters, and the latest value of each signal.
   */
  private static Feed play(Park park) {
    List<SimulatedMachine> machines = ParkSimulation.machines(park, 42, ORIGIN, true);
    List<Envelope> envelopes = new ArrayList<>();
    Map<String, Map<Long, MachineOee>> minutes = new HashMap<>();
    Map<String, List<ShiftTruth>> shifts = new HashMap<>();
    Map<String, StateTracker> trackers = new HashMap<>();
    Map<String, Long> seq = new HashMap<>();
    for (long t = ORIGIN; t <= END; t += STEP) {
      for (SimulatedMachine m : machines) {
        String id = m.machine().id();
        MachinePlacement p = park.findMachine(id).orElseThrow();
        List<NodeUpdate> updates = new ArrayList<>();
        if (t == ORIGIN) {
          updates.addAll(m.initialValues(ORIGIN));
        }
        updates.addAll(m.advanceTo(t));
        StateTracker tracker = trackers.computeIfAbsent(id, k -> new StateTracker());
        List<StateChange> states = new ArrayList<>();
        List<CounterReading> counters = new ArrayList<>();
        Map<String, SignalValue> latest = new TreeMap<>();
        for (NodeUpdate u : updates) {
          switch (u.variable()) {
            case SimulatedMachine.STATE ->
                states.add(tracker.state(u.ts(), STATES.get(u.value()), Quality.GOOD));
            case SimulatedMachine.STOP_REASON ->
                tracker.reason(u.ts(), (String) u.value()).ifPresent(states::add);
            case SimulatedMachine.PARTS_TOTAL ->
                counters.add(
                    new CounterReading(
                        Counter.TOTAL, u.ts(), ((Number) u.value()).longValue(), Quality.GOOD));
            case SimulatedMachine.PARTS_GOOD ->
                counters.add(
                    new CounterReading(
                        Counter.GOOD, u.ts(), ((Number) u.value()).longValue(), Quality.GOOD));
            default -> {
              if (u.value() instanceof Double v) {
                latest.put(
                    u.variable(),
                    new SignalValue(signalName(u.variable()), u.ts(), v, Quality.GOOD));
              }
            }
          }
        }
        String gateway = "gw-" + p.factory().id();
        long n = seq.merge(gateway, 1L, Long::sum);
        envelopes.add(
            new Envelope(
                Envelope.VERSION,
                gateway,
                n,
                t,
                new MachineRef(p.factory().id(), p.line().id(), id),
                List.copyOf(latest.values()),
                states,
                counters));
        for (MachineOee minute : m.truth().closeUntil(t)) {
          minutes.computeIfAbsent(id, k -> new TreeMap<>()).put(minute.start(), minute);
        }
        shifts.computeIfAbsent(id, k -> new ArrayList<>()).addAll(m.truth().drainShifts());
      }
    }
    // The job closes a minute once event time (the newest reading, less 5 s out of order) is
    // the micro-stop limit past its end; the truth closed the same minutes at END.
    minutes.values().forEach(byStart -> byStart.keySet().removeIf(s -> s + 4 * MINUTE > END));
    return new Feed(envelopes, minutes, shifts);
  }

  private static String signalName(String variable) {
    return variable.replace('.', '_').toLowerCase(java.util.Locale.ROOT);
  }

  private long count(LocalServices services, String query) throws Exception {
    List<JsonObject> rows = rows(services, query);
    return rows.isEmpty() ? 0 : rows.get(0).getLong("count");
  }

  /** The rows of an InfluxQL query as JSON objects by column name, over all series. */
  private List<JsonObject> rows(LocalServices services, String query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        services.influx().url()
                            + "/query?db="
                            + LocalServices.DATABASE
                            + "&q="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject result = new JsonObject(response.body()).getJsonArray("results").getJsonObject(0);
    JsonArray series = result.getJsonArray("series");
    List<JsonObject> out = new ArrayList<>();
    if (series == null) {
      return out;
    }
    for (int s = 0; s < series.size(); s++) {
      JsonArray columns = series.getJsonObject(s).getJsonArray("columns");
      JsonArray values = series.getJsonObject(s).getJsonArray("values");
      for (int i = 0; i < values.size(); i++) {
        JsonObject row = new JsonObject();
        for (int c = 0; c < columns.size(); c++) {
          row.put(columns.getString(c), values.getJsonArray(i).getValue(c));
        }
        out.add(row);
      }
    }
    return out;
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
