package io.gemba.model.calendar;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A shift that starts on each of the given days at {@code start} local time and ends at {@code
 * end}; an end at or before the start means the shift runs past midnight into the next day.
 *
 * @param days the days on which the shift starts; empty or absent means every day
 */
public record Shift(String name, LocalTime start, LocalTime end, List<DayOfWeek> days) {
  public Shift {
    requireText("name", name);
    if (start == null) {
      throw new InvalidFieldException("start", "expected a local time like \"06:00\"");
    }
    if (end == null) {
      throw new InvalidFieldException("end", "expected a local time like \"14:00\"");
    }
    days = days == null || days.isEmpty() ? List.of(DayOfWeek.values()) : List.copyOf(days);
  }

  /** The days as a set, for look-ups. */
  public Set<DayOfWeek> daySet() {
    return EnumSet.copyOf(days);
  }
}
