package io.gemba.sim.truth;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.ShiftOccurrence;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeInputs;
import io.gemba.model.oee.OeeSettings;
import io.gemba.model.oee.StateTimes;
import io.gemba.sim.cnc.ScheduleEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
  private ScheduleEvent.StateEntered stateAtCursor =
      new ScheduleEvent.StateEntered(Long.MIN_VALUE, MachineState.UNKNOWN, null);
  private long stopSince = Long.MIN_VALUE;
  private long setupEndedAt = Long.MIN_VALUE;
  private final OeeSettings settings;
  private final List<StateInterval> closedIntervals = new ArrayList<>();
  private ScheduleEvent.StateEntered current;
  private long nextMinute;

  public GroundTruth(Machine machine, ShiftCalendar calendar, long origin) {
    this(machine, calendar, origin, OeeSettings.DEFAULTS);
  }

  /**
   * @param settings how small stops and startup rejects are told, as the KPI job does
   */
  public GroundTruth(Machine machine, ShiftCalendar calendar, long origin, OeeSettings settings) {
    this.settings = settings;
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
   * Closes every minute that ends at or before {@code now} less the micro-stop limit (whether a
   * stop going on at a minute's end is small is known only that much later); all events up to
   * {@code now} must have been recorded.
   *
   * @return the minutes closed by this call
   */
  public List<MachineOee> closeUntil(long now) {
    List<MachineOee> closed = new ArrayList<>();
    while (nextMinute + MINUTE + settings.microStopMs() <= now) {
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
    Map<String, Long> reasons = new HashMap<>(a.stopReasons());
    b.stopReasons().forEach((reason, ms) -> reasons.merge(reason, ms, Long::sum));
    return new MachineOee(
        a.machineId(),
        a.start(),
        b.end(),
        sum,
        a.knownPlannedMs() + b.knownPlannedMs(),
        a.times().plus(b.times()),
        a.startupRejects() + b.startupRejects(),
        reasons);
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
    StateTimes times = StateTimes.ZERO;
    Map<String, Long> reasons = new HashMap<>();
    long knownMs = 0;
    boolean setupSeen = stateAtCursor.state() == MachineState.SETUP;
    long setupEndedBefore = setupEndedAt;
    ScheduleEvent.StateEntered state = stateAtCursor;
    long from = Math.max(start, origin);
    int consumed = 0;
    for (ScheduleEvent.StateEntered t : transitions) {
      if (t.ts() >= end) {
        break;
      }
      long to = Math.max(from, t.ts());
      long planned = calendar.plannedMs(from, to);
      times = accrue(times, reasons, state, planned, consumed);
      knownMs += state.state() == MachineState.UNKNOWN ? 0 : planned;
      from = to;
      enter(state.state(), t);
      state = t;
      setupSeen |= t.state() == MachineState.SETUP;
      consumed++;
    }
    long planned = calendar.plannedMs(from, end);
    times = accrue(times, reasons, state, planned, consumed);
    knownMs += state.state() == MachineState.UNKNOWN ? 0 : planned;
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
    boolean startup =
        settings.startupMs() > 0
            && (setupSeen
                || (setupEndedBefore != Long.MIN_VALUE
                    && start - setupEndedBefore < settings.startupMs()));
    OeeInputs inputs =
        new OeeInputs(
            calendar.plannedMs(start, end), times.runMs(), total, good, machine.idealCycleMs());
    return new MachineOee(
        machine.id(), start, end, inputs, knownMs, times, startup ? total - good : 0, reasons);
  }

  /** Moves the stop and setup bookkeeping to the state {@code t} enters. */
  private void enter(MachineState before, ScheduleEvent.StateEntered t) {
    if (!(isStop(before) && isStop(t.state()))) {
      stopSince = t.ts();
    }
    if (before == MachineState.SETUP && t.state() != MachineState.SETUP) {
      setupEndedAt = t.ts();
    }
  }

  /**
   * Adds {@code planned} ms in {@code state}; a stop is small when the run of idle and down states
   * it belongs to ends, among the transitions after the {@code next}-th, within the limit.
   */
  private StateTimes accrue(
      StateTimes times,
      Map<String, Long> reasons,
      ScheduleEvent.StateEntered state,
      long planned,
      int next) {
    if (planned == 0 || state.state() == MachineState.UNKNOWN) {
      return times;
    }
    boolean small = false;
    if (isStop(state.state())) {
      for (int i = next; i < transitions.size(); i++) {
        ScheduleEvent.StateEntered t = transitions.get(i);
        if (!isStop(t.state())) {
          small = t.ts() - stopSince < settings.microStopMs();
          break;
        }
      }
    }
    if (state.state() != MachineState.PRODUCING) {
      String reason = state.reason() != null ? state.reason().wireName() : state.state().wireName();
      reasons.merge(reason, planned, Long::sum);
    }
    return times.with(state.state(), planned, small);
  }

  private static boolean isStop(MachineState state) {
    return state == MachineState.IDLE || state == MachineState.DOWN;
  }
}
