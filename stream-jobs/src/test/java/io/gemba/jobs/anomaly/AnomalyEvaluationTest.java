package io.gemba.jobs.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.jobs.anomaly.AnomalyOperators.Detection;
import io.gemba.model.asset.Fault;
import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.Variable;
import io.gemba.sim.truth.InjectedFault;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Precision, recall, F1 and raise delay of the KPI job's anomaly detection on faults the simulators
 * inject into CNC machines, with the faults' exact bounds as the oracle. Every machine's telemetry
 * goes through the job's operators ({@link AnomalyOperators}): envelopes decoded with their
 * gateway's sending time, readings judged in event time by the keyed anomaly operator.
 *
 * <p>How it is scored, so that nothing counts that a plant engineer would not count:
 *
 * <ul>
 *   <li>a fault is <b>found</b> when an anomaly of a rule that fits its kind (a stuck sensor is
 *       {@code stuck}, not an outlier) and on its signal is <b>raised while the fault lasts</b>;
 *       the delay runs from the fault's start to the event time at which the operator emitted that
 *       anomaly, not to the anomaly's back-dated start;
 *   <li>an anomaly is <b>true</b> when its rule fits a fault on its signal and its own interval
 *       overlaps the fault's; every other one, on faulty and fault-free machines alike, is a false
 *       alarm;
 *   <li>the faults come in a fixed set (the seeds and magnitudes the rules were developed on) and a
 *       set drawn at random on every run: seeds, starts, durations and magnitudes. The random seed
 *       is printed; {@code -Dgemba.anomaly.seed=N} replays it.
 * </ul>
 */
class AnomalyEvaluationTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  private static final long RUN = 4 * HOUR;
  private static final int FIXED_PER_KIND = 6;
  private static final int RANDOM_PER_KIND = 6;
  private static final int CLEAN_MACHINES = 6;

  /** The rules that name each kind of fault correctly. */
  static final Map<FaultKind, Set<String>> FITS =
      Map.of(
          FaultKind.SPIKE, Set.of(Anomaly.OUTLIER, Anomaly.RATE_OF_CHANGE),
          FaultKind.LEVEL_SHIFT, Set.of(Anomaly.SHIFT, Anomaly.WE2, Anomaly.WE3, Anomaly.WE4),
          FaultKind.STUCK, Set.of(Anomaly.STUCK),
          FaultKind.OSCILLATION, Set.of(Anomaly.OSCILLATION),
          FaultKind.DRIFT, Set.of(Anomaly.DRIFT, Anomaly.WE2, Anomaly.WE3, Anomaly.WE4),
          FaultKind.DROPOUT, Set.of(Anomaly.DROPOUT),
          FaultKind.CLOCK_SKEW, Set.of(Anomaly.CLOCK));

  /** The fixed faults: 90 minutes in, on one signal per kind. */
  private static Fault fixed(FaultKind kind) {
    Duration at = Duration.ofMinutes(90);
    return switch (kind) {
      case SPIKE ->
          new Fault(kind, "spindle_load", at, Duration.ofMinutes(10), 40.0, Duration.ofMinutes(1));
      case LEVEL_SHIFT ->
          new Fault(kind, "coolant_temperature", at, Duration.ofMinutes(20), 3.0, null);
      case STUCK -> new Fault(kind, "machine_temperature", at, Duration.ofMinutes(15), null, null);
      case OSCILLATION ->
          new Fault(kind, "spindle_power", at, Duration.ofMinutes(10), 2.0, Duration.ofSeconds(20));
      case DRIFT -> new Fault(kind, "vibration_rms", at, Duration.ofHours(2), 3.0, null);
      case DROPOUT -> new Fault(kind, "feed_rate", at, Duration.ofMinutes(5), null, null);
      case CLOCK_SKEW -> new Fault(kind, null, at, Duration.ofMinutes(15), -90.0, null);
    };
  }

  /**
   * A fault of {@code kind} drawn at random: its start between 60 and 150 minutes in, its duration
   * and magnitude from half to one and a half times the fixed one's (either sign for shifts, drifts
   * and clocks), the period of spikes and oscillations likewise.
   */
  private static Fault drawn(FaultKind kind, SplittableRandom random) {
    Fault f = fixed(kind);
    Duration at = Duration.ofMinutes(random.nextLong(60, 151));
    Duration duration = Duration.ofSeconds(Math.round(f.duration().toSeconds() * factor(random)));
    Double magnitude = f.magnitude() == null ? null : f.magnitude() * factor(random);
    if (magnitude != null
        && (kind == FaultKind.LEVEL_SHIFT
            || kind == FaultKind.DRIFT
            || kind == FaultKind.CLOCK_SKEW)
        && random.nextBoolean()) {
      magnitude = -magnitude;
    }
    Duration period = Duration.ofMillis(Math.round(f.period().toMillis() * factor(random)));
    return new Fault(kind, f.signal(), at, duration, magnitude, period);
  }

  private static double factor(SplittableRandom random) {
    return random.nextDouble(0.5, 1.5);
  }

  private record Run(List<Detection> detections, List<InjectedFault> faults) {}

  private static Run run(String id, long seed, List<Fault> faults) throws Exception {
    Machine machine = new Machine(id, null, MachineKind.CNC, 20, List.of(), faults);
    CncMachine cnc =
        new CncMachine(machine, ShiftCalendar.aroundTheClock(ZoneOffset.UTC), seed, ORIGIN);
    Map<String, String> signalOf = new HashMap<>();
    for (Variable v : CncMachine.VARIABLES) {
      signalOf.put(v.name(), v.signalName());
    }
    try (AnomalyOperators job = new AnomalyOperators(id, "cnc", "")) {
      // The gateway sends what it read every second, stamped by its own (true) clock.
      for (long t = ORIGIN + 1_000; t <= ORIGIN + RUN; t += 1_000) {
        List<SignalValue> values = new ArrayList<>();
        List<StateChange> states = new ArrayList<>();
        for (NodeUpdate u : cnc.advanceTo(t)) {
          if (u.variable().equals(CncMachine.STATE)) {
            states.add(new StateChange(u.ts(), state((Integer) u.value()), Quality.GOOD, null));
          } else if (u.value() instanceof Double d) {
            values.add(new SignalValue(signalOf.get(u.variable()), u.ts(), d, Quality.GOOD));
          }
        }
        job.send(t, values, states);
      }
      return new Run(job.finish(), cnc.faults());
    }
  }

  private static MachineState state(int code) {
    return switch (code) {
      case 1 -> MachineState.PRODUCING;
      case 2 -> MachineState.IDLE;
      case 3 -> MachineState.DOWN;
      case 4 -> MachineState.SETUP;
      case 5 -> MachineState.PLANNED_STOP;
      default -> MachineState.UNKNOWN;
    };
  }

  private static boolean fits(Anomaly a, InjectedFault f) {
    String signal = f.fault().kind() == FaultKind.CLOCK_SKEW ? "" : f.fault().signal();
    return FITS.get(f.fault().kind()).contains(a.rule()) && a.signal().equals(signal);
  }

  private static boolean overlaps(Anomaly a, InjectedFault f) {
    long end = a.ongoing() ? Long.MAX_VALUE : a.end();
    return a.start() < f.end() && end > f.start();
  }

  /** Counts per fault kind: detections, true ones, faults, found ones, raise delays. */
  static final class Score {
    int detections;
    int truePositives;
    final Map<String, Integer> falseByRule = new java.util.TreeMap<>();
    int faults;
    int found;
    long machineMs;
    final List<Long> delays = new ArrayList<>();

    double precision() {
      return detections == 0 ? 1 : (double) truePositives / detections;
    }

    double recall() {
      return faults == 0 ? 1 : (double) found / faults;
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    long medianDelayS() {
      List<Long> sorted = delays.stream().sorted().toList();
      return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2) / 1000;
    }

    double falseAlarmsPerMachineDay() {
      return (detections - truePositives) / (machineMs / 86_400_000.0);
    }

    void tally(Run r) {
      machineMs += RUN;
      for (Detection d : r.detections()) {
        detections++;
        if (r.faults().stream().anyMatch(f -> fits(d.anomaly(), f) && overlaps(d.anomaly(), f))) {
          truePositives++;
        } else {
          falseByRule.merge(d.anomaly().rule() + " " + d.anomaly().signal(), 1, Integer::sum);
        }
      }
      for (InjectedFault f : r.faults()) {
        faults++;
        r.detections().stream()
            .filter(d -> fits(d.anomaly(), f))
            .mapToLong(Detection::raisedAt)
            .filter(at -> at >= f.start() && at <= f.end())
            .min()
            .ifPresent(
                at -> {
                  found++;
                  delays.add(at - f.start());
                });
      }
    }
  }

  /** The scores of one evaluation: per fault kind, the fault-free machines, and all together. */
  record Evaluation(Map<FaultKind, Score> kinds, Score clean, Score all, String table) {}

  private static Evaluation evaluate(String name, Map<FaultKind, List<Fault>> faults, long seed)
      throws Exception {
    Map<FaultKind, Score> kinds = new EnumMap<>(FaultKind.class);
    Score all = new Score();
    Score clean = new Score();
    long machineSeed = seed;
    for (Map.Entry<FaultKind, List<Fault>> e : faults.entrySet()) {
      Score score = new Score();
      int m = 0;
      for (Fault f : e.getValue()) {
        Run r =
            run(
                "cnc-" + e.getKey().wireName().replace('_', '-') + "-" + m++,
                ++machineSeed,
                List.of(f));
        score.tally(r);
        all.tally(r);
      }
      kinds.put(e.getKey(), score);
    }
    for (int m = 0; m < CLEAN_MACHINES; m++) {
      Run r = run("cnc-clean-" + m, seed + 1_000 + m, List.of());
      clean.tally(r);
      all.tally(r);
    }
    StringBuilder table =
        new StringBuilder(name + "\nkind         precision recall  F1    median raise delay\n");
    kinds.forEach((kind, s) -> table.append(row(kind.wireName(), s)));
    table
        .append(row("all", all))
        .append(
            String.format(
                Locale.ROOT,
                "fault-free machines: %d false alarms in %.1f machine-days (%.2f per machine-day)%n",
                clean.detections,
                clean.machineMs / 86_400_000.0,
                clean.falseAlarmsPerMachineDay()));
    System.out.println(table);
    return new Evaluation(kinds, clean, all, table.toString());
  }

  private static String row(String name, Score s) {
    return String.format(
        Locale.ROOT,
        "%-12s %8.2f %7.2f %5.2f %8d s   (anomalies %d, true %d, faults %d, found %d) false: %s%n",
        name,
        s.precision(),
        s.recall(),
        s.f1(),
        s.medianDelayS(),
        s.detections,
        s.truePositives,
        s.faults,
        s.found,
        s.falseByRule);
  }

  private static Map<FaultKind, List<Fault>> fixedFaults() {
    Map<FaultKind, List<Fault>> out = new EnumMap<>(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      out.put(kind, java.util.Collections.nCopies(FIXED_PER_KIND, fixed(kind)));
    }
    return out;
  }

  private static Map<FaultKind, List<Fault>> drawnFaults(SplittableRandom random) {
    Map<FaultKind, List<Fault>> out = new EnumMap<>(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      List<Fault> faults = new ArrayList<>();
      for (int i = 0; i < RANDOM_PER_KIND; i++) {
        faults.add(drawn(kind, random));
      }
      out.put(kind, faults);
    }
    return out;
  }

  /**
   * What each kind must reach: F1, recall and median raise delay. The targets are F1 0.9
   * for every kind, a delay of 60 s for spikes, level shifts, stuck sensors and dropouts and 10
   * minutes for drift, and at most one false alarm per machine-day. Where the detector misses one,
   * the floor here is a little below what it reaches, so that it cannot get worse unnoticed; {@code
   * docs/kpi-job.md} says by how much each is missed and why. The drawn faults vary more (six per
   * kind, a machine-day each): their floors are lower, from repeated runs.
   */
  private record Expected(double f1, double recall, long delayS) {}

  private static final Map<FaultKind, Expected> FIXED =
      Map.of(
          FaultKind.SPIKE, new Expected(0.9, 1.0, 61),
          FaultKind.STUCK, new Expected(0.9, 1.0, 60),
          FaultKind.DROPOUT, new Expected(0.9, 1.0, 60),
          FaultKind.CLOCK_SKEW, new Expected(0.9, 1.0, 60),
          FaultKind.OSCILLATION, new Expected(0.75, 1.0, 600),
          // A shift that begins while the machine settles into a state is found by the level
          // check, once the state has settled and a subgroup closed: minutes, not seconds.
          FaultKind.LEVEL_SHIFT, new Expected(0.85, 1.0, 240),
          // A drift shows in five-minute windows of one visit of a state: the first steep one
          // comes 10 to 20 minutes in.
          FaultKind.DRIFT, new Expected(0.9, 1.0, 1200));

  private static final Map<FaultKind, Expected> DRAWN =
      Map.of(
          // The drawn spike period is up to 90 s: a spike missed in a stop waits for the next. A
          // spike of half the fixed height, lasting five minutes, may show no peak beyond six
          // usual steps outside stops (seed 3819586306838355784).
          FaultKind.SPIKE, new Expected(0.8, 0.8, 300),
          FaultKind.STUCK, new Expected(0.75, 1.0, 60),
          // A dropout that falls wholly, or all but its first seconds, into a state in which the
          // signal holds still (a feed rate of 0 while the machine is down) cannot be told from a
          // source reporting by exception; seed 7831251350901240422 drew two such.
          FaultKind.DROPOUT, new Expected(0.75, 0.5, 60),
          FaultKind.CLOCK_SKEW, new Expected(0.5, 1.0, 60),
          // A large swing is first taken for outliers and shifts of its signal: wrong rule.
          FaultKind.OSCILLATION, new Expected(0.2, 0.66, 600),
          // A shift the level check finds late may end before it is named.
          FaultKind.LEVEL_SHIFT, new Expected(0.5, 0.8, 300),
          // A drift slower than a tool's own wear, or one that begins before the state's usual
          // slope is learnt, is missed; one noticed late by its level may be named a shift.
          FaultKind.DRIFT, new Expected(0.35, 0.33, 2400));

  private static void assertTargets(
      Evaluation e, Map<FaultKind, Expected> floors, double falseAlarmsPerDay) {
    for (Map.Entry<FaultKind, Score> k : e.kinds().entrySet()) {
      String kind = k.getKey().wireName();
      Score s = k.getValue();
      Expected expected = floors.get(k.getKey());
      assertThat(s.f1()).as(kind + " F1\n" + e.table()).isGreaterThanOrEqualTo(expected.f1());
      assertThat(s.recall())
          .as(kind + " recall\n" + e.table())
          .isGreaterThanOrEqualTo(expected.recall());
      if (s.found > 0) {
        assertThat(s.medianDelayS())
            .as(kind + " median raise delay\n" + e.table())
            .isLessThanOrEqualTo(expected.delayS());
      }
    }
    assertThat(e.clean().machineMs).as("fault-free machines were run").isPositive();
    assertThat(e.clean().falseAlarmsPerMachineDay())
        .as("false alarms per machine-day on fault-free machines\n" + e.table())
        .isLessThanOrEqualTo(falseAlarmsPerDay);
  }

  @Test
  void theFixedFaults_meetTheTargets() throws Exception {
    assertTargets(
        evaluate(
            "fixed faults, seeds 1-" + FaultKind.values().length * FIXED_PER_KIND,
            fixedFaults(),
            0),
        FIXED,
        1.0);
  }

  @Test
  void faultsDrawnAtRandom_meetTheTargets() throws Exception {
    long seed = Long.getLong("gemba.anomaly.seed", new SecureRandom().nextLong());
    System.out.println(
        "anomaly evaluation: random seed "
            + seed
            + " (replay with -Dgemba.anomaly.seed="
            + seed
            + ")");
    Evaluation e =
        evaluate(
            "faults drawn at random, seed " + seed, drawnFaults(new SplittableRandom(seed)), seed);
    // One false alarm per machine-day is the target; drawn fault-free machines have shown two.
    assertTargets(e, DRAWN, 3.0);
  }
}
