package io.gemba.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gemba.edge.southbound.StateTracker;
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
import io.gemba.model.oee.StateTimes;
import io.gemba.services.LocalServices;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.truth.ShiftTruth;
import io.gemba.sim.truth.TruthSums;
import io.gemba.testkit.InfluxRows;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.paho.mqttv5.client.MqttClient;

/**
 * A two-factory park played in-process for 70 simulated minutes (two shifts in each factory, one
 * across midnight, a planned stop, a flow line), the envelopes its gateways would send, and what
 * really happened: the truth that {@link KpiJobExactnessIT} (a MiniCluster) and {@link
 * FlinkClusterIT} (a standalone cluster) compare what the KPI job stored with, exactly.
 */
final class TwoPlantsTruth {

  static final String PARK =
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

  private static final HttpClient http = HttpClient.newHttpClient();

  /** What the gateways send, and what really happened. */
  record Feed(
      List<Envelope> envelopes,
      Map<String, Map<Long, MachineOee>> minutes,
      Map<String, List<ShiftTruth>> shifts) {}

  final Park park;
  final Feed feed;

  private TwoPlantsTruth(Park park, Feed feed) {
    this.park = park;
    this.feed = feed;
  }

  /** Plays the park and keeps the envelopes and the truth. */
  static TwoPlantsTruth play() {
    Park park = new YamlConfigLoader().parse(Path.of("two-plants.yaml"), PARK, Park.class);
    return new TwoPlantsTruth(park, play(park));
  }

  /** The number of machine minutes the job must store. */
  int expectedMinutes() {
    return feed.minutes().values().stream().mapToInt(Map::size).sum();
  }

  /**
   * Every machine minute, rollup minute and machine shift stored equals the truth, and no gap was
   * reported. Rollups and shifts are computed downstream of the machine minutes and may reach
   * InfluxDB a checkpoint later, so this waits up to 30 s for them to agree.
   */
  void assertStoredEqualsTruth(LocalServices services) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertMachineMinutes(services);
              assertRollups(services);
              assertShifts(services);
            });
    try {
      assertThat(count(services, "SELECT count(missing) FROM gaps")).isZero();
    } catch (Exception e) {
      throw new AssertionError("could not read the gaps", e);
    }
  }

  /**
   * Waits until the job reads the broker: it subscribes once it runs, so probe with a message it
   * refuses until the refusal is stored.
   */
  static void awaitJobReading(LocalServices services, MqttClient publisher, Duration atMost) {
    await()
        .atMost(atMost)
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
  }

  static void publish(MqttClient publisher, List<Envelope> envelopes) throws Exception {
    EnvelopeCodec codec = new EnvelopeCodec();
    for (Envelope e : envelopes) {
      publishQos1(publisher, Topics.telemetry(e.machine()), codec.encode(e));
    }
  }

  /** Every machine minute as stored equals the truth: times, counts, state times, reasons. */
  private void assertMachineMinutes(LocalServices services) throws Exception {
    Map<String, Map<String, Long>> reasons = new HashMap<>();
    for (InfluxRows.Row r :
        rows(services, "SELECT machine, reason, ms FROM stop_reasons WHERE ms > 0")) {
      reasons
          .computeIfAbsent(r.string("machine") + "@" + r.string("time"), k -> new TreeMap<>())
          .put(r.string("reason"), r.whole("ms"));
    }
    int compared = 0;
    long stopReasonsSeen = 0;
    for (InfluxRows.Row r : rows(services, "SELECT * FROM oee")) {
      String machine = r.string("machine");
      long start = Instant.parse(r.string("time")).toEpochMilli();
      MachineOee truth = feed.minutes().get(machine).get(start);
      String at = machine + "@" + r.string("time");
      assertThat(truth).as("truth of %s", at).isNotNull();
      StateTimes t = truth.times();
      assertThat(
              List.of(
                  r.whole("planned_ms"),
                  r.whole("run_ms"),
                  r.whole("known_planned_ms"),
                  r.whole("total_count"),
                  r.whole("good_count"),
                  r.whole("startup_rejects")))
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
                  r.whole("producing_ms"),
                  r.whole("idle_ms"),
                  r.whole("down_ms"),
                  r.whole("setup_ms"),
                  r.whole("planned_stop_ms"),
                  r.whole("small_stop_ms")))
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
    Map<String, TruthSums> expected = new HashMap<>();
    for (MachinePlacement p : park.placements()) {
      String f = p.factory().id();
      for (MachineOee m : feed.minutes().get(p.machine().id()).values()) {
        String time = Instant.ofEpochMilli(m.start()).toString();
        for (String key :
            List.of(
                "line/" + f + "/" + p.line().id(), "factory/" + f + "/" + f, "park//two-plants")) {
          expected.merge(key + "@" + time, TruthSums.of(m), TruthSums::add);
        }
      }
    }
    int compared = 0;
    for (InfluxRows.Row r : rows(services, "SELECT * FROM oee_rollup")) {
      // InfluxDB stores no empty tag: the park's factory tag comes back absent.
      String key =
          r.string("scope")
              + "/"
              + java.util.Objects.requireNonNullElse(r.string("factory"), "")
              + "/"
              + r.string("id")
              + "@"
              + r.string("time");
      TruthSums truth = expected.get(key);
      assertThat(truth).as("truth of %s", key).isNotNull();
      assertThat(
              List.of(
                  r.whole("planned_ms"),
                  r.whole("run_ms"),
                  r.whole("known_planned_ms"),
                  r.whole("total_count"),
                  r.whole("good_count"),
                  r.whole("small_stop_ms"),
                  r.whole("setup_ms")))
          .as("rollup %s", key)
          .isEqualTo(
              List.of(
                  truth.plannedMs(),
                  truth.runMs(),
                  truth.knownPlannedMs(),
                  truth.totalCount(),
                  truth.goodCount(),
                  truth.smallStopMs(),
                  truth.setupMs()));
      if (truth.plannedMs() > 0) {
        assertThat(r.number("oee")).as("oee of %s", key).isCloseTo(truth.oee(), within());
      }
      compared++;
    }
    assertThat(compared).as("rollups stored").isEqualTo(expected.size());
  }

  /** Every shift of every machine that began and ended inside the run equals its truth. */
  private void assertShifts(LocalServices services) throws Exception {
    Map<String, InfluxRows.Row> stored = new HashMap<>();
    for (InfluxRows.Row r : rows(services, "SELECT * FROM oee_shift WHERE scope = 'machine'")) {
      stored.put(r.string("id") + "@" + r.string("time"), r);
    }
    int compared = 0;
    for (Map.Entry<String, List<ShiftTruth>> e : feed.shifts().entrySet()) {
      for (ShiftTruth shift : e.getValue()) {
        if (shift.oee().start() < ORIGIN) {
          continue; // began before the run: the job saw less of it than the truth knows
        }
        String key = e.getKey() + "@" + Instant.ofEpochMilli(shift.oee().start());
        InfluxRows.Row r = stored.get(key);
        assertThat(r).as("stored shift %s", key).isNotNull();
        assertThat(r.string("shift")).isEqualTo(shift.shift());
        MachineOee truth = shift.oee();
        assertThat(
                List.of(
                    r.whole("planned_ms"),
                    r.whole("run_ms"),
                    r.whole("known_planned_ms"),
                    r.whole("total_count"),
                    r.whole("good_count"),
                    r.whole("small_stop_ms")))
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
                gateway,
                1L,
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

  static long count(LocalServices services, String query) {
    try (InfluxRows rows = InfluxRows.open(services.influx().url(), LocalServices.DATABASE)) {
      return rows.count(query);
    }
  }

  /** The rows of an InfluxQL query by column name, over all series. */
  private static List<InfluxRows.Row> rows(LocalServices services, String query) {
    try (InfluxRows rows = InfluxRows.open(services.influx().url(), LocalServices.DATABASE)) {
      return rows.rows(query);
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
