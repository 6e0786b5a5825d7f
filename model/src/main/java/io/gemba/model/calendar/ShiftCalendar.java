package io.gemba.model.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When a factory plans to produce: its shifts minus its planned stops, in the factory's time zone.
 * Planned production time is the denominator of availability, so this class decides what a lost
 * minute is. A factory with no shifts plans to produce around the clock.
 *
 * <p>Local times are resolved with {@link ZonedDateTime#of}: a shift boundary inside a DST gap
 * moves forward by the gap, inside an overlap it takes the earlier offset. A shift that spans a DST
 * change is therefore an hour shorter or longer, as the people working it experience it.
 */
public final class ShiftCalendar {

  private final ZoneId zone;
  private final List<Shift> shifts;
  private final List<PlannedStop> plannedStops;

  public ShiftCalendar(ZoneId zone, List<Shift> shifts, List<PlannedStop> plannedStops) {
    this.zone = zone;
    this.shifts = List.copyOf(shifts);
    this.plannedStops = List.copyOf(plannedStops);
  }

  /** A calendar that plans production at every instant. */
  public static ShiftCalendar aroundTheClock(ZoneId zone) {
    return new ShiftCalendar(zone, List.of(), List.of());
  }

  public ZoneId zone() {
    return zone;
  }

  /** The shifts as defined; empty for production around the clock. */
  public List<Shift> shifts() {
    return shifts;
  }

  /** The planned stops as defined. */
  public List<PlannedStop> plannedStops() {
    return plannedStops;
  }

  /** Planned production time inside {@code [from, to)} in milliseconds. */
  public long plannedMs(long from, long to) {
    long sum = 0;
    for (TimeInterval interval : plannedIntervals(from, to)) {
      sum += interval.length();
    }
    return sum;
  }

  /** The planned production intervals inside {@code [from, to)}, sorted and disjoint. */
  public List<TimeInterval> plannedIntervals(long from, long to) {
    if (to <= from) {
      return List.of();
    }
    List<TimeInterval> planned =
        shifts.isEmpty()
            ? List.of(new TimeInterval(from, to))
            : merge(occurrences(shifts, from, to));
    if (plannedStops.isEmpty()) {
      return planned;
    }
    return subtract(planned, merge(occurrencesOfStops(from, to)));
  }

  /**
   * The shift occurrences that overlap {@code [from, to)}, whole (not clipped), in start order.
   * Without shifts, the local days.
   */
  public List<ShiftOccurrence> shiftOccurrences(long from, long to) {
    List<ShiftOccurrence> out = new ArrayList<>();
    for (LocalDate day = firstDay(from); !day.isAfter(lastDay(to)); day = day.plusDays(1)) {
      if (shifts.isEmpty()) {
        long s = day.atStartOfDay(zone).toInstant().toEpochMilli();
        long e = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        if (e > from && s < to) {
          out.add(new ShiftOccurrence("day", s, e));
        }
        continue;
      }
      for (Shift shift : shifts) {
        if (!shift.daySet().contains(day.getDayOfWeek())) {
          continue;
        }
        long s = ZonedDateTime.of(day, shift.start(), zone).toInstant().toEpochMilli();
        LocalDate endDay = shift.end().isAfter(shift.start()) ? day : day.plusDays(1);
        long e = ZonedDateTime.of(endDay, shift.end(), zone).toInstant().toEpochMilli();
        if (e > from && s < to) {
          out.add(new ShiftOccurrence(shift.name(), s, e));
        }
      }
    }
    out.sort(Comparator.comparingLong(ShiftOccurrence::start));
    return out;
  }

  /** The shift occurrence that {@code ts} falls in, if any (the first, should shifts overlap). */
  public Optional<ShiftOccurrence> shiftAt(long ts) {
    return shiftOccurrences(ts, ts + 1).stream().findFirst();
  }

  private List<TimeInterval> occurrences(List<Shift> items, long from, long to) {
    List<TimeInterval> out = new ArrayList<>();
    for (LocalDate day = firstDay(from); !day.isAfter(lastDay(to)); day = day.plusDays(1)) {
      for (Shift shift : items) {
        if (shift.daySet().contains(day.getDayOfWeek())) {
          addClipped(out, day, shift.start(), shift.end(), from, to);
        }
      }
    }
    return out;
  }

  private List<TimeInterval> occurrencesOfStops(long from, long to) {
    List<TimeInterval> out = new ArrayList<>();
    for (LocalDate day = firstDay(from); !day.isAfter(lastDay(to)); day = day.plusDays(1)) {
      for (PlannedStop stop : plannedStops) {
        if (stop.days().contains(day.getDayOfWeek())) {
          addClipped(out, day, stop.start(), stop.end(), from, to);
        }
      }
    }
    return out;
  }

  /** Adds the occurrence starting on {@code day}; an end not after the start is on the next day. */
  private void addClipped(
      List<TimeInterval> out, LocalDate day, LocalTime start, LocalTime end, long from, long to) {
    long s = ZonedDateTime.of(day, start, zone).toInstant().toEpochMilli();
    LocalDate endDay = end.isAfter(start) ? day : day.plusDays(1);
    long e = ZonedDateTime.of(endDay, end, zone).toInstant().toEpochMilli();
    long clippedStart = Math.max(s, from);
    long clippedEnd = Math.min(e, to);
    if (clippedEnd > clippedStart) {
      out.add(new TimeInterval(clippedStart, clippedEnd));
    }
  }

  // An occurrence that crosses midnight starts the day before; look one day back.
  private LocalDate firstDay(long from) {
    return Instant.ofEpochMilli(from).atZone(zone).toLocalDate().minusDays(1);
  }

  private LocalDate lastDay(long to) {
    return Instant.ofEpochMilli(to).atZone(zone).toLocalDate();
  }

  static List<TimeInterval> merge(List<TimeInterval> intervals) {
    List<TimeInterval> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingLong(TimeInterval::start));
    List<TimeInterval> out = new ArrayList<>();
    for (TimeInterval next : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1).end() >= next.start()) {
        TimeInterval last = out.remove(out.size() - 1);
        out.add(new TimeInterval(last.start(), Math.max(last.end(), next.end())));
      } else {
        out.add(next);
      }
    }
    return out;
  }

  static List<TimeInterval> subtract(List<TimeInterval> base, List<TimeInterval> holes) {
    List<TimeInterval> out = new ArrayList<>();
    for (TimeInterval interval : base) {
      long cursor = interval.start();
      for (TimeInterval hole : holes) {
        if (hole.end() <= cursor || hole.start() >= interval.end()) {
          continue;
        }
        if (hole.start() > cursor) {
          out.add(new TimeInterval(cursor, hole.start()));
        }
        cursor = Math.max(cursor, hole.end());
      }
      if (cursor < interval.end()) {
        out.add(new TimeInterval(cursor, interval.end()));
      }
    }
    return out;
  }
}
