package io.gemba.sim.machine;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.RandomFault;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.OeeSettings;
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
 * @param oee the park's OEE settings, by which the ground truth tells small stops and startup
 *     rejects
 */
public record MachineSetup(
    Machine machine,
    ShiftCalendar calendar,
    long seed,
    long origin,
    Schedule schedule,
    List<RandomFault> randomFaults,
    OeeSettings oee) {

  public MachineSetup {
    randomFaults = List.copyOf(randomFaults);
    oee = oee == null ? OeeSettings.DEFAULTS : oee;
  }

  /** A machine that plays its own schedule, without random faults. */
  public static MachineSetup of(Machine machine, ShiftCalendar calendar, long seed, long origin) {
    return new MachineSetup(
        machine,
        calendar,
        seed,
        origin,
        ownSchedule(machine, calendar, seed, origin),
        List.of(),
        OeeSettings.DEFAULTS);
  }

  /** The schedule a machine plays when nothing couples it to others. */
  public static ProductionSchedule ownSchedule(
      Machine machine, ShiftCalendar calendar, long seed, long origin) {
    return new ProductionSchedule(
        seed, origin, calendar, machine.idealCycleMs(), machine.production(), true);
  }

  public MachineSetup withSchedule(Schedule other) {
    return new MachineSetup(machine, calendar, seed, origin, other, randomFaults, oee);
  }

  public MachineSetup withRandomFaults(List<RandomFault> faults) {
    return new MachineSetup(machine, calendar, seed, origin, schedule, faults, oee);
  }

  public MachineSetup withOee(OeeSettings settings) {
    return new MachineSetup(machine, calendar, seed, origin, schedule, randomFaults, settings);
  }
}
