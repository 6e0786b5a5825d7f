package io.gemba.model.oee;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.TimeInterval;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a machine's observations into OEE inputs for one window. State readings are piecewise
 * constant: the machine is in a state from its reading until the next one. Counters are cumulative:
 * a window counts the increments read inside it, and a counter that goes down was reset, so the new
 * value is counted from zero. A machine that counts rejects instead of good parts has as good parts
 * in a window its total parts minus its rejects.
 *
 * <p>Known planned time is split among the states ({@link StateTimes}) and, where the machine is
 * not producing, among the stop reasons it reported. A run of idle and down readings shorter than
 * the micro-stop limit is a small stop: run time for availability, a loss of performance. Whether a
 * stop is short is known only when it ends, so a window that ends during a stop needs the
 * observations up to the limit after its end.
 */
public final class WindowAccounting {

  /** The result of closing a window, and the cursor to carry into the next one. */
  public record Closed(MachineOee oee, MachineCursor next) {}

  private WindowAccounting() {}

  /**
   * Closes the window {@code [start, end)} with every stop counted as downtime (no small stops, no
   * startup rejects).
   *
   * @param events the observations with {@code start <= ts < end}, sorted by timestamp
   */
  public static Closed close(
      String machineId,
      MachineCursor cursor,
      List<MachineEvent> events,
      long start,
      long end,
      ShiftCalendar calendar,
      double idealCycleMs) {
    return close(
        machineId, cursor, events, List.of(), start, end, calendar, idealCycleMs, OeeSettings.NONE);
  }

  /**
   * Closes the window {@code [start, end)}.
   *
   * @param events the observations with {@code start <= ts < end}, sorted by timestamp
   * @param lookahead the observations after the window, sorted by timestamp, at least up to {@code
   *     end + settings.microStopLimit()}: they tell whether a stop running at the window's end is a
   *     small stop. A stop whose end is not among them is not.
   */
  public static Closed close(
      String machineId,
      MachineCursor cursor,
      List<MachineEvent> events,
      List<MachineEvent> lookahead,
      long start,
      long end,
      ShiftCalendar calendar,
      double idealCycleMs,
      OeeSettings settings) {
    Tally tally = new Tally(calendar.plannedIntervals(start, end));
    // stopEnds[i]: when the run of stops going on before events[i] ends, if it is seen.
    long[] stopEnds = new long[events.size() + 1];
    stopEnds[events.size()] = firstStopEnd(lookahead);
    for (int i = events.size() - 1; i >= 0; i--) {
      MachineEvent e = events.get(i);
      stopEnds[i] =
          e.kind() == MachineEvent.Kind.STATE && !MachineCursor.isStop(e.state())
              ? e.ts()
              : stopEnds[i + 1];
    }
    MachineCursor current = cursor;
    boolean setupSeen = current.state() == MachineState.SETUP;
    long from = start;
    for (int i = 0; i < events.size(); i++) {
      MachineEvent event = events.get(i);
      if (event.ts() < start || event.ts() >= end) {
        throw new IllegalArgumentException(
            "event at " + event.ts() + " outside window [" + start + ", " + end + ")");
      }
      tally.accrue(current, from, event.ts(), isSmall(current, stopEnds[i], settings));
      from = event.ts();
      current = apply(current, event, tally);
      setupSeen |= current.state() == MachineState.SETUP;
    }
    tally.accrue(current, from, end, isSmall(current, stopEnds[events.size()], settings));
    long good =
        current.rejectCounter()
            ? Math.max(0, tally.total - tally.good)
            : Math.min(tally.good, tally.total);
    boolean startup =
        settings.startupMs() > 0
            && (setupSeen
                || (cursor.setupEndedAt() != Long.MIN_VALUE
                    && start - cursor.setupEndedAt() < settings.startupMs()));
    OeeInputs inputs =
        new OeeInputs(
            calendar.plannedMs(start, end), tally.times.runMs(), tally.total, good, idealCycleMs);
    MachineOee oee =
        new MachineOee(
            machineId,
            start,
            end,
            inputs,
            tally.knownPlannedMs,
            tally.times,
            startup ? tally.total - good : 0,
            tally.reasons);
    return new Closed(oee, current);
  }

  /** The first state reading that leaves idle and down, or never. */
  private static long firstStopEnd(List<MachineEvent> lookahead) {
    for (MachineEvent e : lookahead) {
      if (e.kind() == MachineEvent.Kind.STATE && !MachineCursor.isStop(e.state())) {
        return e.ts();
      }
    }
    return Long.MAX_VALUE;
  }

  private static boolean isSmall(MachineCursor c, long stopEnd, OeeSettings settings) {
    return MachineCursor.isStop(c.state())
        && stopEnd != Long.MAX_VALUE
        && stopEnd - c.stopSince() < settings.microStopMs();
  }

  private static MachineCursor apply(MachineCursor c, MachineEvent e, Tally tally) {
    boolean known = c.knownFrom() <= e.ts();
    MachineCursor next =
        switch (e.kind()) {
          case STATE -> c.withState(e.ts(), e.state(), e.reason());
          case TOTAL -> {
            if (known) {
              tally.total += increment(c.lastTotal(), e.value(), e.rollover());
            }
            yield c.withTotal(e.value());
          }
          case GOOD, REJECT -> {
            boolean rejects = e.kind() == MachineEvent.Kind.REJECT;
            // A switch between good and reject counting restarts the quality baseline.
            boolean sameCounter = c.goodSeen() && c.rejectCounter() == rejects;
            if (known && sameCounter) {
              tally.good += increment(c.lastGood(), e.value(), e.rollover());
            }
            yield c.withGood(e.value(), rejects);
          }
        };
    if (next.knownFrom() == Long.MAX_VALUE
        && next.stateSeen()
        && next.totalSeen()
        && next.goodSeen()) {
      next = next.knownFrom(e.ts());
    }
    return next;
  }

  /**
   * Parts between two readings of a cumulative counter. A counter that goes down wrapped when it
   * has a modulus and went from its top quarter to its bottom quarter; otherwise it was reset, and
   * the new value counts from zero.
   */
  static long increment(long last, long value, long rollover) {
    if (value >= last) {
      return value - last;
    }
    if (rollover > 0 && last >= rollover - rollover / 4 && value < rollover / 4) {
      return rollover - last + value;
    }
    return value;
  }

  /** Running sums for one window; the window's planned intervals are computed once. */
  private static final class Tally {
    private final List<TimeInterval> planned;
    private StateTimes times = StateTimes.ZERO;
    private final Map<String, Long> reasons = new HashMap<>();
    private long knownPlannedMs;
    private long total;

    /** Good parts, or rejected parts for a machine that counts rejects. */
    private long good;

    Tally(List<TimeInterval> planned) {
      this.planned = planned;
    }

    void accrue(MachineCursor cursor, long from, long to, boolean smallStop) {
      long knownStart = Math.max(from, cursor.knownFrom());
      if (to <= knownStart || cursor.state() == MachineState.UNKNOWN) {
        return;
      }
      long ms = 0;
      for (TimeInterval interval : this.planned) {
        ms += interval.overlap(knownStart, to);
      }
      if (ms == 0) {
        return;
      }
      knownPlannedMs += ms;
      times = times.with(cursor.state(), ms, smallStop);
      if (cursor.state() != MachineState.PRODUCING) {
        String reason = cursor.reason() != null ? cursor.reason() : cursor.state().wireName();
        reasons.merge(reason, ms, Long::sum);
      }
    }
  }
}
