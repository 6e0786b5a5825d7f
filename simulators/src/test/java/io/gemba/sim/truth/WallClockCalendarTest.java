package io.gemba.sim.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.Shift;
import io.gemba.model.calendar.ShiftCalendar;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The truth's calendar against hand-computed planned hours on the days clocks change, in two zones
 * with different rules (Berlin changes at 01:00 UTC on the last Sundays of March and October, New
 * York at 02:00 local on the second Sunday of March and the first of November), for a shift across
 * midnight, shifts that begin inside the skipped and the repeated hour, and a break; and the
 * platform's {@link ShiftCalendar} against it, minute by minute, over the same days.
 */
class WallClockCalendarTest {

  private static final long HOUR = 3_600_000;

  private static final List<Shift> SHIFTS =
      List.of(
          new Shift("night", LocalTime.of(22, 0), LocalTime.of(6, 0), null),
          new Shift("early", LocalTime.of(6, 0), LocalTime.of(14, 0), null));

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static WallClockCalendar wall(String zone, List<Shift> shifts, List<PlannedStop> stops) {
    return new WallClockCalendar(ZoneId.of(zone), shifts, stops);
  }

  @Test
  void nightShiftsAcrossTheChange_areAnHourShorterInSpringAndLongerInAutumn() {
    WallClockCalendar berlin = wall("Europe/Berlin", SHIFTS, List.of());
    // 2026-03-28 22:00 CET (21:00Z) to 2026-03-29 06:00 CEST (04:00Z): 7 hours.
    assertThat(berlin.shiftAt(at("2026-03-29T00:30:00Z")))
        .hasValueSatisfying(
            s -> {
              assertThat(s.name()).isEqualTo("night");
              assertThat(s.start()).isEqualTo(at("2026-03-28T21:00:00Z"));
              assertThat(s.end()).isEqualTo(at("2026-03-29T04:00:00Z"));
            });
    assertThat(berlin.plannedMs(at("2026-03-28T21:00:00Z"), at("2026-03-29T04:00:00Z")))
        .isEqualTo(7 * HOUR);
    // 2026-10-24 22:00 CEST (20:00Z) to 2026-10-25 06:00 CET (05:00Z): 9 hours.
    assertThat(berlin.plannedMs(at("2026-10-24T20:00:00Z"), at("2026-10-25T05:00:00Z")))
        .isEqualTo(9 * HOUR);
    WallClockCalendar newYork = wall("America/New_York", SHIFTS, List.of());
    // 2026-03-07 22:00 EST (03:00Z) to 2026-03-08 06:00 EDT (10:00Z): 7 hours.
    assertThat(newYork.plannedMs(at("2026-03-08T03:00:00Z"), at("2026-03-08T10:00:00Z")))
        .isEqualTo(7 * HOUR);
    // 2026-10-31 22:00 EDT (02:00Z) to 2026-11-01 06:00 EST (11:00Z): 9 hours.
    assertThat(newYork.plannedMs(at("2026-11-01T02:00:00Z"), at("2026-11-01T11:00:00Z")))
        .isEqualTo(9 * HOUR);
    // The whole day of each change is planned (two shifts and the gap from 14:00 to 22:00 not):
    // 16 hours on an ordinary day; the night shift that ends on the day holds the change.
    assertThat(newYork.plannedMs(at("2026-03-08T05:00:00Z"), at("2026-03-09T04:00:00Z")))
        .isEqualTo(15 * HOUR);
  }

  @Test
  void
      aShiftBeginningInTheSkippedHour_movesForwardByTheGap_andInTheRepeatedHour_beginsAtItsFirst() {
    List<Shift> odd = List.of(new Shift("odd", LocalTime.of(2, 30), LocalTime.of(4, 0), null));
    WallClockCalendar berlin = wall("Europe/Berlin", odd, List.of());
    // 02:30 does not exist on 2026-03-29: read at +01:00 it is 01:30Z = 03:30 CEST; the shift
    // ends at 04:00 CEST = 02:00Z. Half an hour.
    assertThat(berlin.plannedMs(at("2026-03-29T00:00:00Z"), at("2026-03-29T03:00:00Z")))
        .isEqualTo(HOUR / 2);
    // 02:30 occurs twice on 2026-10-25: first at +02:00 (00:30Z); 04:00 CET is 03:00Z.
    assertThat(berlin.plannedMs(at("2026-10-25T00:00:00Z"), at("2026-10-25T04:00:00Z")))
        .isEqualTo(5 * HOUR / 2);
  }

  @Test
  void aBreakInsideTheNightShift_isNotPlanned() {
    List<PlannedStop> breaks =
        List.of(new PlannedStop("break", LocalTime.of(1, 30), LocalTime.of(2, 30), null));
    WallClockCalendar newYork = wall("America/New_York", SHIFTS, breaks);
    // On 2026-11-01 01:30 EDT (05:30Z) to 02:30 EST (07:30Z): two hours of break.
    assertThat(newYork.plannedMs(at("2026-11-01T02:00:00Z"), at("2026-11-01T11:00:00Z")))
        .isEqualTo(7 * HOUR);
  }

  @Test
  void thePlatformsCalendar_agreesMinuteByMinuteOnTheDaysOfChange() {
    List<PlannedStop> breaks =
        List.of(new PlannedStop("break", LocalTime.of(1, 30), LocalTime.of(2, 30), null));
    List<Shift> shifts =
        List.of(
            new Shift("night", LocalTime.of(22, 0), LocalTime.of(6, 0), null),
            new Shift("early", LocalTime.of(6, 0), LocalTime.of(14, 0), null),
            new Shift("odd", LocalTime.of(2, 30), LocalTime.of(3, 15), null));
    int compared = 0;
    for (String zone : List.of("Europe/Berlin", "America/New_York", "Asia/Shanghai")) {
      ShiftCalendar platform = new ShiftCalendar(ZoneId.of(zone), shifts, breaks);
      WallClockCalendar truth = wall(zone, shifts, breaks);
      for (String day :
          List.of(
              "2026-03-07", "2026-03-08", "2026-03-28", "2026-03-29", "2026-10-25", "2026-11-01")) {
        long from = at(day + "T00:00:00Z") - 12 * HOUR;
        for (long t = from; t < from + 48 * HOUR; t += 60_000) {
          assertThat(platform.plannedMs(t, t + 60_000))
              .as("%s minute %s", zone, Instant.ofEpochMilli(t))
              .isEqualTo(truth.plannedMs(t, t + 60_000));
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(3 * 6 * 48 * 60);
  }
}
