package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.Shift;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.config.InvalidFieldException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A factory of the park, with its own time zone and shift calendar. Without shifts it plans to
 * produce around the clock.
 */
public record Factory(
    String id,
    String name,
    ZoneId timeZone,
    List<Shift> shifts,
    List<PlannedStop> plannedStops,
    List<Line> lines) {
  public Factory {
    requireId("id", id);
    name = name == null || name.isBlank() ? id : name;
    if (timeZone == null) {
      throw new InvalidFieldException("timeZone", "expected an IANA time zone like Asia/Shanghai");
    }
    shifts = shifts == null ? List.of() : List.copyOf(shifts);
    plannedStops = plannedStops == null ? List.of() : List.copyOf(plannedStops);
    if (lines == null || lines.isEmpty()) {
      throw new InvalidFieldException("lines", "expected a list of at least one line");
    }
    lines = List.copyOf(lines);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!seen.add(lines.get(i).id())) {
        throw new InvalidFieldException(
            "lines[" + i + "].id", "duplicate line id '" + lines.get(i).id() + "'");
      }
    }
  }

  public ShiftCalendar calendar() {
    return new ShiftCalendar(timeZone, shifts, plannedStops);
  }
}
