package io.gemba.sim.truth;

import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.Shift;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ground truth's own reading of a factory's calendar, written apart from the platform's {@code
 * ShiftCalendar} so that a time-zone, midnight or daylight-saving mistake in one does not move the
 * other: planned time is counted second by second, each second asked whether a shift covers it and
 * no planned stop does. Only the shifts' and stops' definitions are shared (names, local start and
 * end, days).
 *
 * <p>The rules it implements, as docs/park-file.md states them: a shift or stop whose end is not
 * after its start ends on the next day; a day with no shifts at all plans production around the
 * clock; a local time that does not exist (the hour skipped in spring) is read at the offset before
 * the change, which moves it forward by the gap; a local time that occurs twice (the hour repeated
 * in autumn) is its first occurrence. Offsets are looked up instant by instant from the zone's
 * rules, not through {@code ZonedDateTime}.
 */
public final class WallClockCalendar {

  private static final long SECOND = 1_000;
  private static final long DAY_S = 86_400;

  /** A shift occurrence: its name and instants. */
  public record Occurrence(String name, long start, long end) {
    public boolean covers(long ts) {
      return ts >= start && ts < end;
    }
  }

  private final ZoneRules rules;
  private final List<Shift> shifts;
  private final List<PlannedStop> stops;
  private final Map<LocalDate, List<Occurrence>> shiftsStarting = new HashMap<>();
  private final Map<LocalDate, List<Occurrence>> stopsStarting = new HashMap<>();

  public WallClockCalendar(ZoneId zone, List<Shift> shifts, List<PlannedStop> stops) {
    this.rules = zone.getRules();
    this.shifts = List.copyOf(shifts);
    this.stops = List.copyOf(stops);
  }

  /** Whether the second starting at {@code ts} (a whole second) is planned production time. */
  public boolean planned(long ts) {
    if (!shifts.isEmpty() && shiftAt(ts).isEmpty()) {
      return false;
    }
    LocalDate day = localDate(ts);
    for (LocalDate d : List.of(day.minusDays(1), day)) {
      for (Occurrence stop : occurrences(d, stopsStarting, false)) {
        if (stop.covers(ts)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Planned time inside {@code [from, to)}, in milliseconds, second by second. */
  public long plannedMs(long from, long to) {
    long sum = 0;
    for (long second = Math.floorDiv(from, SECOND) * SECOND; second < to; second += SECOND) {
      long overlap = Math.min(to, second + SECOND) - Math.max(from, second);
      if (overlap > 0 && planned(second)) {
        sum += overlap;
      }
    }
    return sum;
  }

  /**
   * The shift occurrence {@code ts} falls in, the earliest-starting one should shifts overlap;
   * without shifts, the local day, named {@code day}.
   */
  public Optional<Occurrence> shiftAt(long ts) {
    LocalDate day = localDate(ts);
    if (shifts.isEmpty()) {
      return Optional.of(
          new Occurrence(
              "day",
              instant(day, LocalTime.MIDNIGHT),
              instant(day.plusDays(1), LocalTime.MIDNIGHT)));
    }
    Occurrence found = null;
    for (LocalDate d : List.of(day.minusDays(1), day)) {
      for (Occurrence o : occurrences(d, shiftsStarting, true)) {
        if (o.covers(ts) && (found == null || o.start() < found.start())) {
          found = o;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private List<Occurrence> occurrences(
      LocalDate day, Map<LocalDate, List<Occurrence>> cache, boolean ofShifts) {
    if (cache.size() > 64 && !cache.containsKey(day)) {
      cache.clear();
    }
    return cache.computeIfAbsent(
        day,
        d -> {
          List<Occurrence> out = new ArrayList<>();
          DayOfWeek weekday = d.getDayOfWeek();
          if (ofShifts) {
            for (Shift s : shifts) {
              if (s.days().contains(weekday)) {
                out.add(occurrence(s.name(), d, s.start(), s.end()));
              }
            }
          } else {
            for (PlannedStop s : stops) {
              if (s.days().contains(weekday)) {
                out.add(occurrence(s.name(), d, s.start(), s.end()));
              }
            }
          }
          return out;
        });
  }

  private Occurrence occurrence(String name, LocalDate day, LocalTime start, LocalTime end) {
    LocalDate endDay = end.compareTo(start) > 0 ? day : day.plusDays(1);
    return new Occurrence(name, instant(day, start), instant(endDay, end));
  }

  /** The instant of a local date and time, by the rules in the class comment. */
  long instant(LocalDate day, LocalTime time) {
    long local = LocalDateTime.of(day, time).toEpochSecond(ZoneOffset.UTC);
    ZoneOffset before = rules.getOffset(Instant.ofEpochSecond(local - DAY_S));
    ZoneOffset after = rules.getOffset(Instant.ofEpochSecond(local + DAY_S));
    long atBefore = local - before.getTotalSeconds();
    long atAfter = local - after.getTotalSeconds();
    boolean beforeFits = rules.getOffset(Instant.ofEpochSecond(atBefore)).equals(before);
    boolean afterFits = rules.getOffset(Instant.ofEpochSecond(atAfter)).equals(after);
    long seconds;
    if (beforeFits && afterFits) {
      seconds = Math.min(atBefore, atAfter); // twice: the first
    } else if (afterFits) {
      seconds = atAfter;
    } else {
      seconds = atBefore; // once, or never: at the offset before the change
    }
    return seconds * SECOND;
  }

  private LocalDate localDate(long ts) {
    long seconds = Math.floorDiv(ts, SECOND);
    int offset = rules.getOffset(Instant.ofEpochSecond(seconds)).getTotalSeconds();
    return LocalDate.ofEpochDay(Math.floorDiv(seconds + offset, DAY_S));
  }
}
