package io.gemba.sim.truth;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineState;
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
 *
 * <p>It shares no logic with the KPI job: planned time comes from {@link WallClockCalendar}, which
 * reads the factory's calendar second by second with its own time-zone code, and the state times,
 * small stops and startup rejects are worked out here from the machine's state intervals, with the
 * definitions of docs/kpi-job.md; of the platform's OEE model only its records ({@code MachineOee},
 * {@code OeeInputs}, {@code StateTimes}) and settings are used, to hand the result over. {@code
 * OracleIndependenceTest} checks the imports.
 */
public final class GroundTruth {

  private static final long MINUTE = 60_000;
  private static final int KEEP_MINUTES = 24 * 60;
  private static final int KEEP_SHIFTS = 90;

  private final Machine machine;
  private final WallClockCalendar calendar;
  private final long origin;
  private final List<ScheduleEvent.StateEntered> transitions = new ArrayList<>();
  private final List<ScheduleEvent.PartFinished> parts = new ArrayList<>();
  private final Map<Long, MachineOee> minutes = newest(KEEP_MINUTES);
  private final Map<Long, ShiftTruth> shifts = newest(KEEP_SHIFTS);
  private final List<ShiftTruth> closedShifts = new ArrayList<>();
  private WallClockCalendar.Occurrence shift;
  private volatile ShiftTruth shiftToDate;
  private ScheduleEvent.StateEntered stateAtCursor =
      new ScheduleEvent.StateEntered(Long.MIN_VALUE, MachineState.UNKNOWN, null);
  private long stopSince = Long.MIN_VALUE;
  private long setupEndedAt = Long.MIN_VALUE;
  private final OeeSettings settings;
  private final List<StateInterval> closedIntervals = new ArrayList<>();
  private ScheduleEvent.StateEntered current;
  private long nextMinute;

  public GroundTruth(Machine machine, WallClockCalendar calendar, long origin) {
    this(machine, calendar, origin, OeeSettings.DEFAULTS);
  }

  /**
   * @param settings how small stops and startup rejects are told, as the KPI job does
   */
  public GroundTruth(
      Machine machine, WallClockCalendar calendar, long origin, OeeSettings settings) {
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
    if (shift == null || !shift.covers(minute.start())) {
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
        sum(a.times(), b.times()),
        a.startupRejects() + b.startupRejects(),
        reasons);
  }

  private static StateTimes sum(StateTimes a, StateTimes b) {
    return new StateTimes(
        a.producingMs() + b.producingMs(),
        a.idleMs() + b.idleMs(),
        a.downMs() + b.downMs(),
        a.setupMs() + b.setupMs(),
        a.plannedStopMs() + b.plannedStopMs(),
        a.smallStopMs() + b.smallStopMs());
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

  /**
   * The true minute {@code [start, end)}: the machine's state intervals inside it, each worth the
   * planned time it covers, second by second.
   */
  private MachineOee close(long start, long end) {
    // Per state: producing, idle, down, setup, planned stop; and small stops apart.
    long[] ms = new long[MachineState.values().length];
    long smallMs = 0;
    long knownMs = 0;
    Map<String, Long> reasons = new HashMap<>();
    boolean setupInside = false;
    for (Segment seg : segments(Math.max(start, origin), end)) {
      // (a setup counts for startup rejects even where nothing was planned, as in the job)
      setupInside |= seg.state() == MachineState.SETUP;
      long planned = calendar.plannedMs(seg.from(), seg.to());
      if (planned == 0 || seg.state() == MachineState.UNKNOWN) {
        continue;
      }
      knownMs += planned;
      ms[seg.state().ordinal()] += planned;
      if (isStop(seg.state()) && seg.runEnd() - seg.runStart() < settings.microStopMs()) {
        smallMs += planned;
      }
      if (seg.state() != MachineState.PRODUCING) {
        String reason = seg.reason() != null ? seg.reason().wireName() : seg.state().wireName();
        reasons.merge(reason, planned, Long::sum);
      }
    }

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
    // A startup minute: a setup interval reaches into the minute, or into the startup window
    // before it.
    boolean startup =
        settings.startupMs() > 0
            && (setupInside
                || (setupEndedAt != Long.MIN_VALUE && setupEndedAt > start - settings.startupMs()));
    StateTimes times =
        new StateTimes(
            ms[MachineState.PRODUCING.ordinal()],
            ms[MachineState.IDLE.ordinal()],
            ms[MachineState.DOWN.ordinal()],
            ms[MachineState.SETUP.ordinal()],
            ms[MachineState.PLANNED_STOP.ordinal()],
            smallMs);
    long runMs = ms[MachineState.PRODUCING.ordinal()] + smallMs;
    OeeInputs inputs =
        new OeeInputs(calendar.plannedMs(start, end), runMs, total, good, machine.idealCycleMs());
    return new MachineOee(
        machine.id(), start, end, inputs, knownMs, times, startup ? total - good : 0, reasons);
  }

  /**
   * A stretch of one state inside a minute; for idle and down, the whole run of stops it belongs to
   * ({@code runEnd} is {@code Long.MAX_VALUE} while the run goes on).
   */
  private record Segment(
      long from,
      long to,
      MachineState state,
      io.gemba.model.asset.StopReason reason,
      long runStart,
      long runEnd) {}

  /**
   * The state intervals inside {@code [from, end)}, consuming the transitions before {@code end}.
   */
  private List<Segment> segments(long from, long end) {
    List<Segment> out = new ArrayList<>();
    ScheduleEvent.StateEntered state = stateAtCursor;
    int consumed = 0;
    for (ScheduleEvent.StateEntered t : transitions) {
      if (t.ts() >= end) {
        break;
      }
      long to = Math.max(from, t.ts());
      if (to > from) {
        out.add(segment(from, to, state, consumed));
      }
      from = to;
      if (state.state() == MachineState.SETUP && t.state() != MachineState.SETUP) {
        setupEndedAt = t.ts();
      }
      if (!(isStop(state.state()) && isStop(t.state()))) {
        stopSince = t.ts();
      }
      state = t;
      consumed++;
    }
    if (end > from) {
      out.add(segment(from, end, state, consumed));
    }
    transitions.subList(0, consumed).clear();
    stateAtCursor = state;
    return out;
  }

  /** A segment in {@code state}, whose next transitions are those from the {@code next}-th on. */
  private Segment segment(long from, long to, ScheduleEvent.StateEntered state, int next) {
    long runEnd = Long.MAX_VALUE;
    if (isStop(state.state())) {
      for (int i = next; i < transitions.size(); i++) {
        if (!isStop(transitions.get(i).state())) {
          runEnd = transitions.get(i).ts();
          break;
        }
      }
    }
    return new Segment(from, to, state.state(), state.reason(), stopSince, runEnd);
  }

  private static boolean isStop(MachineState state) {
    return state == MachineState.IDLE || state == MachineState.DOWN;
  }
}
