package io.gemba.sim.machine;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.RandomFault;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.ProductionSchedule;
import io.gemba.sim.cnc.Schedule;
import java.util.List;

/**
 * Everything a simulated machine is built from.
 *
 * @param seed the machine's own seed, from which its schedule, noise and random faults derive
 * @param origin simulated time at which the simulation starts
 * @param schedule what the machine plays; its own {@link ProductionSchedule} unless it works on a
 *     flow line
 * @param randomFaults the park's random faults; those that apply to the machine are injected
 */
public record MachineSetup(
    Machine machine,
    ShiftCalendar calendar,
    long seed,
    long origin,
    Schedule schedule,
    List<RandomFault> randomFaults) {

  public MachineSetup {
    randomFaults = List.copyOf(randomFaults);
  }

  /** A machine that plays its own schedule, without random faults. */
  public static MachineSetup of(Machine machine, ShiftCalendar calendar, long seed, long origin) {
    return new MachineSetup(
        machine, calendar, seed, origin, ownSchedule(machine, calendar, seed, origin), List.of());
  }

  /** The schedule a machine plays when nothing couples it to others. */
  public static ProductionSchedule ownSchedule(
      Machine machine, ShiftCalendar calendar, long seed, long origin) {
    return new ProductionSchedule(
        seed, origin, calendar, machine.idealCycleMs(), machine.production(), true);
  }

  public MachineSetup withSchedule(Schedule other) {
    return new MachineSetup(machine, calendar, seed, origin, other, randomFaults);
  }

  public MachineSetup withRandomFaults(List<RandomFault> faults) {
    return new MachineSetup(machine, calendar, seed, origin, schedule, faults);
  }
}
