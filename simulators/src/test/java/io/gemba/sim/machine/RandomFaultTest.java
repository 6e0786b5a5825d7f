package io.gemba.sim.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gemba.model.asset.Factory;
import io.gemba.model.asset.FaultKind;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.Park;
import io.gemba.model.asset.RandomFault;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.truth.InjectedFault;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Random faults: placed at their rate, before they begin, reproducibly, and seen in the signal. */
class RandomFaultTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long HOUR = 3_600_000;

  private static final RandomFault LEVEL_SHIFTS =
      new RandomFault(
          FaultKind.LEVEL_SHIFT,
          Duration.ofHours(2),
          Duration.ofMinutes(30),
          25.0,
          null,
          List.of(MachineKind.CNC),
          List.of("coolant_temperature", "machine_temperature"));

  private record Run(List<NodeUpdate> updates, List<InjectedFault> placed, List<Long> placedAt) {}

  private static Run run(List<RandomFault> specs, long seed, long hours) {
    Machine machine = new Machine("cnc-1", null, MachineKind.CNC, 20, List.of());
    CncMachine cnc =
        new CncMachine(
            MachineSetup.of(machine, ShiftCalendar.aroundTheClock(ZoneOffset.UTC), seed, ORIGIN)
                .withRandomFaults(specs));
    List<NodeUpdate> updates = new ArrayList<>();
    List<InjectedFault> placed = new ArrayList<>();
    List<Long> placedAt = new ArrayList<>();
    for (long t = ORIGIN; t <= ORIGIN + hours * HOUR; t += 10_000) {
      updates.addAll(cnc.advanceTo(t));
      for (InjectedFault f : cnc.drainPlacedFaults()) {
        placed.add(f);
        placedAt.add(t);
      }
    }
    return new Run(updates, placed, placedAt);
  }

  @Test
  void faultsArePlacedAtTheirRate_beforeTheyBegin_onTheNamedSignals() {
    Run run = run(List.of(LEVEL_SHIFTS), 3, 400);

    // One fault per 2 h gap + 30 min fault on average: about 160 in 400 h.
    assertThat(run.placed().size()).isCloseTo(160, within(25));
    for (int i = 0; i < run.placed().size(); i++) {
      InjectedFault f = run.placed().get(i);
      assertThat(run.placedAt().get(i)).isLessThanOrEqualTo(f.start());
      assertThat(f.end() - f.start()).isEqualTo(30 * 60_000L);
      assertThat(f.variable()).isIn(CncMachine.COOLANT_TEMPERATURE, CncMachine.TEMPERATURE);
      if (i > 0) {
        assertThat(f.start()).isGreaterThanOrEqualTo(run.placed().get(i - 1).end());
      }
    }
    assertThat(run.placed())
        .extracting(InjectedFault::variable)
        .contains(CncMachine.COOLANT_TEMPERATURE, CncMachine.TEMPERATURE);
  }

  @Test
  void faultsShowInTheSignal_andTheSameSeedGivesTheSameFaults() {
    Run clean = run(List.of(), 5, 12);
    Run faulty = run(List.of(LEVEL_SHIFTS), 5, 12);
    Run again = run(List.of(LEVEL_SHIFTS), 5, 12);
    Run otherSeed = run(List.of(LEVEL_SHIFTS), 6, 12);

    assertThat(again.placed()).isEqualTo(faulty.placed());
    assertThat(again.updates()).isEqualTo(faulty.updates());
    assertThat(otherSeed.placed()).isNotEqualTo(faulty.placed());
    assertThat(faulty.placed()).isNotEmpty();
    // The random faults draw from their own seed: outside them the values are the clean ones.
    assertThat(faulty.updates()).hasSameSizeAs(clean.updates());
    for (int i = 0; i < clean.updates().size(); i++) {
      NodeUpdate c = clean.updates().get(i);
      NodeUpdate f = faulty.updates().get(i);
      boolean hit =
          faulty.placed().stream()
              .anyMatch(
                  p ->
                      p.variable().equals(c.variable()) && c.ts() >= p.start() && c.ts() < p.end());
      assertThat(f.variable()).isEqualTo(c.variable());
      if (hit) {
        assertThat((Double) f.value()).isCloseTo((Double) c.value() + 25.0, within(1e-3));
      } else {
        assertThat(f.value()).isEqualTo(c.value());
      }
    }
  }

  @Test
  void signalsNoMachineHas_areRejectedWithTheSignalsThereAre() {
    RandomFault wrong =
        new RandomFault(
            FaultKind.SPIKE,
            Duration.ofHours(1),
            Duration.ofMinutes(5),
            10.0,
            null,
            List.of(MachineKind.ROBOT),
            List.of("spindle_load"));
    Machine cnc = new Machine("cnc-1", null, MachineKind.CNC, 20, List.of());
    Machine robot = new Machine("robot-1", null, MachineKind.ROBOT, 20, List.of());
    Park park =
        new Park(
            "p",
            null,
            List.of(
                new Factory(
                    "f",
                    null,
                    ZoneId.of("UTC"),
                    null,
                    null,
                    List.of(new Line("l", null, List.of(cnc, robot))))),
            List.of(wrong));

    assertThatThrownBy(() -> ParkSimulation.checkRandomFaults(park))
        .hasMessageContaining("randomFaults[0].signals")
        .hasMessageContaining("spindle_load")
        .hasMessageContaining("axis1_torque");
  }
}
