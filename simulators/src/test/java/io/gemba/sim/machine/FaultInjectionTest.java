package io.gemba.sim.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gemba.model.asset.Fault;
import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.truth.InjectedFault;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each fault kind, injected into a CNC machine, against a twin with the same seed and no faults:
 * the values differ exactly as the fault says, only inside its bounds.
 */
class FaultInjectionTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long HOUR = 3_600_000;
  private static final Duration AT = Duration.ofMinutes(10);
  private static final Duration FOR = Duration.ofMinutes(20);

  private static List<NodeUpdate> play(List<Fault> faults) {
    Machine machine = new Machine("cnc-1", null, MachineKind.CNC, 20, List.of(), faults);
    CncMachine cnc =
        new CncMachine(machine, ShiftCalendar.aroundTheClock(ZoneOffset.UTC), 42, ORIGIN);
    List<NodeUpdate> all = new ArrayList<>();
    for (long t = ORIGIN; t <= ORIGIN + HOUR; t += 5_000) {
      all.addAll(cnc.advanceTo(t));
    }
    return all;
  }

  private static Map<Long, Double> series(List<NodeUpdate> updates, String variable) {
    return updates.stream()
        .filter(u -> u.variable().equals(variable))
        .collect(Collectors.toMap(NodeUpdate::ts, u -> (Double) u.value(), (a, b) -> b));
  }

  private static Fault fault(FaultKind kind, String signal, Double magnitude) {
    return new Fault(kind, signal, AT, FOR, magnitude, Duration.ofSeconds(30));
  }

  private static boolean inside(long ts) {
    return ts >= ORIGIN + AT.toMillis() && ts < ORIGIN + AT.plus(FOR).toMillis();
  }

  @Test
  void everyKindChangesItsSignalExactlyWithinItsBounds() {
    List<NodeUpdate> clean = play(List.of());
    List<NodeUpdate> faulty =
        play(
            List.of(
                fault(FaultKind.DRIFT, "vibration_rms", 4.0),
                fault(FaultKind.SPIKE, "spindle_load", 50.0),
                fault(FaultKind.STUCK, "coolant_temperature", null),
                fault(FaultKind.OSCILLATION, "spindle_power", 2.0),
                fault(FaultKind.LEVEL_SHIFT, "machine_temperature", 7.5),
                fault(FaultKind.DROPOUT, "feed_rate", null)));
    long start = ORIGIN + AT.toMillis();
    long end = start + FOR.toMillis();

    Map<Long, Double> drift = series(faulty, CncMachine.VIBRATION);
    series(clean, CncMachine.VIBRATION)
        .forEach(
            (ts, v) ->
                assertThat(drift.get(ts))
                    .isCloseTo(
                        inside(ts) ? v + 4.0 * (ts - start) / (end - start) : v, within(1e-3)));

    Map<Long, Double> spikes = series(faulty, CncMachine.SPINDLE_LOAD);
    long spiked =
        series(clean, CncMachine.SPINDLE_LOAD).entrySet().stream()
            .filter(e -> Math.abs(spikes.get(e.getKey()) - e.getValue() - 50.0) < 1e-3)
            .peek(e -> assertThat(inside(e.getKey())).isTrue())
            .count();
    assertThat(spiked).isEqualTo(FOR.toSeconds() / 30);

    Map<Long, Double> stuck = series(faulty, CncMachine.COOLANT_TEMPERATURE);
    assertThat(stuck.entrySet().stream().filter(e -> inside(e.getKey())).map(Map.Entry::getValue))
        .hasSizeGreaterThan(100)
        .containsOnly(series(clean, CncMachine.COOLANT_TEMPERATURE).get(start - 1_000));

    Map<Long, Double> oscillation = series(faulty, CncMachine.SPINDLE_POWER);
    series(clean, CncMachine.SPINDLE_POWER)
        .forEach(
            (ts, v) ->
                assertThat(oscillation.get(ts))
                    .isCloseTo(
                        inside(ts) ? v + 2.0 * Math.sin(2 * Math.PI * (ts - start) / 30_000.0) : v,
                        within(2e-3)));

    Map<Long, Double> shifted = series(faulty, CncMachine.TEMPERATURE);
    series(clean, CncMachine.TEMPERATURE)
        .forEach(
            (ts, v) ->
                assertThat(shifted.get(ts)).isCloseTo(inside(ts) ? v + 7.5 : v, within(1e-3)));

    Map<Long, Double> dropped = series(faulty, CncMachine.FEED_RATE);
    assertThat(dropped.keySet()).noneMatch(FaultInjectionTest::inside);
    assertThat(dropped).hasSize(series(clean, CncMachine.FEED_RATE).size() - (int) FOR.toSeconds());
  }

  @Test
  void clockSkew_shiftsEveryTimestampWithinItsBounds() {
    List<NodeUpdate> clean = play(List.of());
    List<NodeUpdate> skewed =
        play(List.of(new Fault(FaultKind.CLOCK_SKEW, null, AT, FOR, -90.0, null)));

    assertThat(skewed).hasSameSizeAs(clean);
    for (int i = 0; i < clean.size(); i++) {
      NodeUpdate c = clean.get(i);
      assertThat(skewed.get(i).ts()).isEqualTo(inside(c.ts()) ? c.ts() - 90_000 : c.ts());
      assertThat(skewed.get(i).value()).isEqualTo(c.value());
    }
  }

  @Test
  void faultsAreReportedWithExactBounds_andAnUnknownSignalIsNamed() {
    Machine machine =
        new Machine(
            "cnc-1",
            null,
            MachineKind.CNC,
            20,
            List.of(),
            List.of(fault(FaultKind.DRIFT, "vibration_rms", 1.0)));
    CncMachine cnc =
        new CncMachine(machine, ShiftCalendar.aroundTheClock(ZoneOffset.UTC), 1, ORIGIN);

    InjectedFault f = cnc.faults().get(0);
    assertThat(f.start()).isEqualTo(ORIGIN + AT.toMillis());
    assertThat(f.end()).isEqualTo(ORIGIN + AT.plus(FOR).toMillis());
    assertThat(f.variable()).isEqualTo(CncMachine.VIBRATION);

    Machine wrong =
        new Machine(
            "cnc-2",
            null,
            MachineKind.CNC,
            20,
            List.of(),
            List.of(fault(FaultKind.SPIKE, "bearing_noise", 1.0)));
    assertThatThrownBy(
            () -> new CncMachine(wrong, ShiftCalendar.aroundTheClock(ZoneOffset.UTC), 1, ORIGIN))
        .hasMessageContaining("cnc-2")
        .hasMessageContaining("bearing_noise")
        .hasMessageContaining("vibration_rms");
  }
}
