package io.gemba.sim.truth;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
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

  private final Machine machine;
  private final ShiftCalendar calendar;
  private final long origin;
  private final List<ScheduleEvent.StateEntered> transitions = new ArrayList<>();
  private final List<ScheduleEvent.PartFinished> parts = new ArrayList<>();
  private final Map<Long, MachineOee> minutes =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, MachineOee> eldest) {
              return size() > KEEP_MINUTES;
            }
          });
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
            new StateInterval(machine.id(), current.state(), current.ts(), entered.ts()));
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
      nextMinute += MINUTE;
    }
    return closed;
  }

  /** State intervals that ended since the last call, in time order. */
  public List<StateInterval> drainStateIntervals() {
    List<StateInterval> drained = List.copyOf(closedIntervals);
    closedIntervals.clear();
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
