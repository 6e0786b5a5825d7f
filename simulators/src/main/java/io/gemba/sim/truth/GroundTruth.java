package io.gemba.sim.truth;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.ShiftOccurrence;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeInputs;
import io.gemba.sim.cnc.ScheduleEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a simulated machine really did, per minute: planned time from its calendar, run time from
 * its own state intervals, counts from its own parts. It is computed from the schedule, not from
 * anything the platform measured, so it is the oracle the platform's OEE is checked against. Time
 * before the simulation's origin is unknown, as it is to the platform.
 */
public final class GroundTruth {

  private static final long MINUTE = 60_000;
  private static final int KEEP_MINUTES = 24 * 60;
  private static final int KEEP_SHIFTS = 90;

  private final Machine machine;
  private final ShiftCalendar calendar;
  private final long origin;
  private final List<ScheduleEvent.StateEntered> transitions = new ArrayList<>();
  private final List<ScheduleEvent.PartFinished> parts = new ArrayList<>();
  private final Map<Long, MachineOee> minutes = newest(KEEP_MINUTES);
  private final Map<Long, ShiftTruth> shifts = newest(KEEP_SHIFTS);
  private final List<ShiftTruth> closedShifts = new ArrayList<>();
  private ShiftOccurrence shift;
  private volatile ShiftTruth shiftToDate;
  private MachineState stateAtCursor = MachineState.UNKNOWN;
  private final List<StateInterval> closedIntervals = new ArrayList<>();
  private ScheduleEvent.StateEntered current;
  private long nextMinute;

  public GroundTruth(Machine machine, ShiftCalendar calendar, long origin) {
    this.machine = machine;
    this.calendar = calendar;
    this.origin = origin;
    this.nextMinute = origin - Math.floorMod(origin, MINUTE);
  }

  /** Records a schedule event; events arrive in time order. */
  public void record(ScheduleEvent event) {
    if (event instanceof ScheduleEvent.StateEntered entered) {
      transitions.add(entered);
      if (current != null && entered.ts() > current.ts()) {
        closedIntervals.add(
            new StateInterval(
                machine.id(), current.state(), current.reason(), current.ts(), entered.ts()));
      }
      current = entered;
    } else if (event instanceof ScheduleEvent.PartFinished part) {
      parts.add(part);
    }
  }

  /**
   * Closes every minute that ends at or before {@code now}; all events up to {@code now} must have
   * been recorded.
   *
   * @return the minutes closed by this call
   */
  public List<MachineOee> closeUntil(long now) {
    List<MachineOee> closed = new ArrayList<>();
    while (nextMinute + MINUTE <= now) {
      MachineOee minute = close(nextMinute, nextMinute + MINUTE);
      minutes.put(minute.start(), minute);
      closed.add(minute);
      addToShift(minute);
      nextMinute += MINUTE;
    }
    return closed;
  }

  /**
   * Adds a closed minute to the shift it lies in; shifts begin and end on whole minutes. Closes the
   * shift with its last minute.
   */
  private void addToShift(MachineOee minute) {
    if (shift == null || !shift.contains(minute.start())) {
      shift = calendar.shiftAt(minute.start()).orElse(null);
      if (shift == null) {
        return;
      }
      // Planned time of the shift before the first minute seen is planned but unknown.
      OeeInputs before =
          new OeeInputs(
              calendar.plannedMs(shift.start(), minute.start()), 0, 0, 0, machine.idealCycleMs());
      shiftToDate =
          new ShiftTruth(
              shift.name(), new MachineOee(machine.id(), shift.start(), minute.start(), before, 0));
    }
    MachineOee sum = plus(shiftToDate.oee(), minute);
    shiftToDate = new ShiftTruth(shift.name(), sum);
    if (minute.end() >= shift.end()) {
      shifts.put(shift.start(), shiftToDate);
      closedShifts.add(shiftToDate);
      shift = null;
      shiftToDate = null;
    }
  }

  private static MachineOee plus(MachineOee a, MachineOee b) {
    OeeInputs x = a.inputs();
    OeeInputs y = b.inputs();
    OeeInputs sum =
        new OeeInputs(
            x.plannedMs() + y.plannedMs(),
            x.runMs() + y.runMs(),
            x.totalCount() + y.totalCount(),
            x.goodCount() + y.goodCount(),
            x.idealCycleMs());
    return new MachineOee(
        a.machineId(), a.start(), b.end(), sum, a.knownPlannedMs() + b.knownPlannedMs());
  }

  /** Shifts that closed since the last call, in time order. */
  public List<ShiftTruth> drainShifts() {
    return drain(closedShifts);
  }

  /** The true OEE of the shift occurrence starting at {@code start}, once it is closed. */
  public Optional<ShiftTruth> shift(long start) {
    return Optional.ofNullable(shifts.get(start));
  }

  /** The true OEE of the shift in progress, up to the last closed minute. */
  public Optional<ShiftTruth> shiftToDate() {
    return Optional.ofNullable(shiftToDate);
  }

  /** State intervals that ended since the last call, in time order. */
  public List<StateInterval> drainStateIntervals() {
    return drain(closedIntervals);
  }

  /** A thread-safe map that keeps only its {@code keep} most recently added entries. */
  private static <V> Map<Long, V> newest(int keep) {
    return Collections.synchronizedMap(
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
            return size() > keep;
          }
        });
  }

  private static <T> List<T> drain(List<T> items) {
    List<T> drained = List.copyOf(items);
    items.clear();
    return drained;
  }

  /** The true OEE of the minute starting at {@code start}, once it is closed. */
  public Optional<MachineOee> minute(long start) {
    return Optional.ofNullable(minutes.get(start));
  }

  private MachineOee close(long start, long end) {
    long runMs = 0;
    long knownMs = 0;
    MachineState state = stateAtCursor;
    long from = Math.max(start, origin);
    int consumed = 0;
    for (ScheduleEvent.StateEntered t : transitions) {
      if (t.ts() >= end) {
        break;
      }
      long planned = calendar.plannedMs(from, Math.max(from, t.ts()));
      runMs += state == MachineState.PRODUCING ? planned : 0;
      knownMs += state == MachineState.UNKNOWN ? 0 : planned;
      from = Math.max(from, t.ts());
      state = t.state();
      consumed++;
    }
    long planned = calendar.plannedMs(from, end);
    runMs += state == MachineState.PRODUCING ? planned : 0;
    knownMs += state == MachineState.UNKNOWN ? 0 : planned;
    transitions.subList(0, consumed).clear();
    stateAtCursor = state;

    long total = 0;
    long good = 0;
    int partsConsumed = 0;
    for (ScheduleEvent.PartFinished part : parts) {
      if (part.ts() >= end) {
        break;
      }
      total++;
      good += part.good() ? 1 : 0;
      partsConsumed++;
    }
    parts.subList(0, partsConsumed).clear();
    OeeInputs inputs =
        new OeeInputs(calendar.plannedMs(start, end), runMs, total, good, machine.idealCycleMs());
    return new MachineOee(machine.id(), start, end, inputs, knownMs);
  }
}
