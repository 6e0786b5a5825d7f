package io.gemba.model.oee;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.TimeInterval;
import java.util.List;

/**
 * Turns a machine's observations into OEE inputs for one window. State readings are piecewise
 * constant: the machine is in a state from its reading until the next one. Counters are cumulative:
 * a window counts the increments read inside it, and a counter that goes down was reset, so the new
 * value is counted from zero. A machine that counts rejects instead of good parts has as good parts
 * in a window its total parts minus its rejects.
 */
public final class WindowAccounting {

  /** The result of closing a window, and the cursor to carry into the next one. */
  public record Closed(MachineOee oee, MachineCursor next) {}

  private WindowAccounting() {}

  /**
   * Closes the window {@code [start, end)}.
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
    Tally tally = new Tally(calendar.plannedIntervals(start, end));
    MachineCursor current = cursor;
    long from = start;
    for (MachineEvent event : events) {
      if (event.ts() < start || event.ts() >= end) {
        throw new IllegalArgumentException(
            "event at " + event.ts() + " outside window [" + start + ", " + end + ")");
      }
      tally.accrue(current, from, event.ts());
      from = event.ts();
      current = apply(current, event, tally);
    }
    tally.accrue(current, from, end);
    OeeInputs inputs =
        new OeeInputs(
            calendar.plannedMs(start, end),
            tally.runMs,
            tally.total,
            current.rejectCounter()
                ? Math.max(0, tally.total - tally.good)
                : Math.min(tally.good, tally.total),
            idealCycleMs);
    return new Closed(new MachineOee(machineId, start, end, inputs, tally.knownPlannedMs), current);
  }

  private static MachineCursor apply(MachineCursor c, MachineEvent e, Tally tally) {
    boolean known = c.knownFrom() <= e.ts();
    MachineCursor next =
        switch (e.kind()) {
          case STATE ->
              new MachineCursor(
                  e.state(),
                  true,
                  c.totalSeen(),
                  c.lastTotal(),
                  c.goodSeen(),
                  c.lastGood(),
                  c.rejectCounter(),
                  c.knownFrom());
          case TOTAL -> {
            if (known) {
              tally.total += increment(c.lastTotal(), e.value(), e.rollover());
            }
            yield new MachineCursor(
                c.state(),
                c.stateSeen(),
                true,
                e.value(),
                c.goodSeen(),
                c.lastGood(),
                c.rejectCounter(),
                c.knownFrom());
          }
          case GOOD, REJECT -> {
            boolean rejects = e.kind() == MachineEvent.Kind.REJECT;
            // A switch between good and reject counting restarts the quality baseline.
            boolean sameCounter = c.goodSeen() && c.rejectCounter() == rejects;
            if (known && sameCounter) {
              tally.good += increment(c.lastGood(), e.value(), e.rollover());
            }
            yield new MachineCursor(
                c.state(),
                c.stateSeen(),
                c.totalSeen(),
                c.lastTotal(),
                true,
                e.value(),
                rejects,
                c.knownFrom());
          }
        };
    if (next.knownFrom() == Long.MAX_VALUE
        && next.stateSeen()
        && next.totalSeen()
        && next.goodSeen()) {
      next =
          new MachineCursor(
              next.state(),
              true,
              true,
              next.lastTotal(),
              true,
              next.lastGood(),
              next.rejectCounter(),
              e.ts());
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
    private long runMs;
    private long knownPlannedMs;
    private long total;

    /** Good parts, or rejected parts for a machine that counts rejects. */
    private long good;

    Tally(List<TimeInterval> planned) {
      this.planned = planned;
    }

    void accrue(MachineCursor cursor, long from, long to) {
      long knownStart = Math.max(from, cursor.knownFrom());
      if (to <= knownStart || cursor.state() == MachineState.UNKNOWN) {
        return;
      }
      long planned = 0;
      for (TimeInterval interval : this.planned) {
        planned += interval.overlap(knownStart, to);
      }
      knownPlannedMs += planned;
      if (cursor.state() == MachineState.PRODUCING) {
        runMs += planned;
      }
    }
  }
}
