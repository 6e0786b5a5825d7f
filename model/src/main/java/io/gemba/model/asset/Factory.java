package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.Shift;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A factory of the park, with its own time zone and shift calendar. Without shifts it plans to
 * produce around the clock.
 *
 * @param gateways the ids of the gateways that may speak for this factory's machines, and for no
 *     other factory's (docs/park-file.md#gateways); by default the one gateway {@code gw-<id>}
 */
public record Factory(
    String id,
    String name,
    ZoneId timeZone,
    List<Shift> shifts,
    List<PlannedStop> plannedStops,
    List<Line> lines,
    List<String> gateways) {
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
    gateways = gateways == null || gateways.isEmpty() ? List.of("gw-" + id) : List.copyOf(gateways);
    Set<String> gatewayIds = new HashSet<>();
    for (int i = 0; i < gateways.size(); i++) {
      Names.requireId("gateways[" + i + "]", gateways.get(i));
      if (!gatewayIds.add(gateways.get(i))) {
        throw new InvalidFieldException(
            "gateways[" + i + "]", "duplicate gateway id '" + gateways.get(i) + "'");
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!seen.add(lines.get(i).id())) {
        throw new InvalidFieldException(
            "lines[" + i + "].id", "duplicate line id '" + lines.get(i).id() + "'");
      }
    }
  }

  /** A factory served by the one gateway {@code gw-<id>}. */
  public Factory(
      String id,
      String name,
      ZoneId timeZone,
      List<Shift> shifts,
      List<PlannedStop> plannedStops,
      List<Line> lines) {
    this(id, name, timeZone, shifts, plannedStops, lines, null);
  }

  public ShiftCalendar calendar() {
    return new ShiftCalendar(timeZone, shifts, plannedStops);
  }
}
