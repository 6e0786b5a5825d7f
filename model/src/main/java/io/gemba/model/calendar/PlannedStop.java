package io.gemba.model.calendar;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

/**
 * A stop planned every given day, e.g. a lunch break or a cleaning slot; its time is not planned
 * production time. An end at or before the start runs past midnight.
 */
public record PlannedStop(String name, LocalTime start, LocalTime end, List<DayOfWeek> days) {
  public PlannedStop {
    requireText("name", name);
    if (start == null) {
      throw new InvalidFieldException("start", "expected a local time like \"12:00\"");
    }
    if (end == null) {
      throw new InvalidFieldException("end", "expected a local time like \"12:30\"");
    }
    if (start.equals(end)) {
      throw new InvalidFieldException("end", "expected a time different from start " + start);
    }
    days = days == null || days.isEmpty() ? List.of(DayOfWeek.values()) : List.copyOf(days);
  }
}
