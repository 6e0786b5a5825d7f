package io.gemba.model.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShiftCalendarTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final long HOUR = 3_600_000;

  private static long at(ZoneId zone, String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), zone)
        .toInstant()
        .toEpochMilli();
  }

  private static Shift shift(String name, String start, String end) {
    return new Shift(name, LocalTime.parse(start), LocalTime.parse(end), null);
  }

  @Test
  void dayShiftWithLunch_plansSevenAndAHalfHours() {
    var calendar =
        new ShiftCalendar(
            SHANGHAI,
            List.of(shift("early", "06:00", "14:00")),
            List.of(new PlannedStop("lunch", LocalTime.of(11, 30), LocalTime.NOON, null)));

    long planned =
        calendar.plannedMs(at(SHANGHAI, "2026-03-02T00:00"), at(SHANGHAI, "2026-03-03T00:00"));

    assertThat(planned).isEqualTo(7 * HOUR + HOUR / 2);
  }

  @Test
  void nightShiftAcrossMidnight_countsOnBothDays() {
    var calendar =
        new ShiftCalendar(SHANGHAI, List.of(shift("night", "22:00", "06:00")), List.of());

    assertThat(
            calendar.plannedMs(at(SHANGHAI, "2026-03-02T00:00"), at(SHANGHAI, "2026-03-02T06:00")))
        .isEqualTo(6 * HOUR);
    assertThat(
            calendar.plannedMs(at(SHANGHAI, "2026-03-02T20:00"), at(SHANGHAI, "2026-03-03T01:00")))
        .isEqualTo(3 * HOUR);
  }

  @Test
  void nightShiftOverSpringForward_isOneHourShorter() {
    // Europe/Berlin moves from 02:00 to 03:00 on 2026-03-29.
    var calendar = new ShiftCalendar(BERLIN, List.of(shift("night", "22:00", "06:00")), List.of());

    long planned =
        calendar.plannedMs(at(BERLIN, "2026-03-28T12:00"), at(BERLIN, "2026-03-29T12:00"));

    assertThat(planned).isEqualTo(7 * HOUR);
  }

  @Test
  void nightShiftOverFallBack_isOneHourLonger() {
    // Europe/Berlin moves from 03:00 back to 02:00 on 2026-10-25.
    var calendar = new ShiftCalendar(BERLIN, List.of(shift("night", "22:00", "06:00")), List.of());

    long planned =
        calendar.plannedMs(at(BERLIN, "2026-10-24T12:00"), at(BERLIN, "2026-10-25T12:00"));

    assertThat(planned).isEqualTo(9 * HOUR);
  }

  @Test
  void shiftOnWeekdaysOnly_plansNothingOnSunday() {
    var calendar =
        new ShiftCalendar(
            SHANGHAI,
            List.of(
                new Shift(
                    "day",
                    LocalTime.of(8, 0),
                    LocalTime.of(16, 0),
                    List.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.TUESDAY))),
            List.of());

    // 2026-03-01 is a Sunday, 2026-03-02 a Monday.
    assertThat(
            calendar.plannedMs(at(SHANGHAI, "2026-03-01T00:00"), at(SHANGHAI, "2026-03-02T00:00")))
        .isZero();
    assertThat(
            calendar.plannedMs(at(SHANGHAI, "2026-03-02T00:00"), at(SHANGHAI, "2026-03-03T00:00")))
        .isEqualTo(8 * HOUR);
  }

  @Test
  void noShifts_plansAroundTheClockMinusStops() {
    var calendar =
        new ShiftCalendar(
            SHANGHAI,
            List.of(),
            List.of(new PlannedStop("cleaning", LocalTime.of(23, 30), LocalTime.of(0, 30), null)));

    List<TimeInterval> planned =
        calendar.plannedIntervals(
            at(SHANGHAI, "2026-03-02T23:00"), at(SHANGHAI, "2026-03-03T01:00"));

    assertThat(planned)
        .containsExactly(
            new TimeInterval(at(SHANGHAI, "2026-03-02T23:00"), at(SHANGHAI, "2026-03-02T23:30")),
            new TimeInterval(at(SHANGHAI, "2026-03-03T00:30"), at(SHANGHAI, "2026-03-03T01:00")));
  }

  @Test
  void shiftOccurrences_acrossMidnightAndTheSpringDstChange() {
    // Berlin moves its clocks from 02:00 to 03:00 on 2026-03-29.
    var calendar =
        new ShiftCalendar(
            BERLIN,
            List.of(shift("early", "06:00", "14:00"), shift("night", "22:00", "06:00")),
            List.of());

    List<ShiftOccurrence> found =
        calendar.shiftOccurrences(at(BERLIN, "2026-03-28T12:00"), at(BERLIN, "2026-03-29T12:00"));

    assertThat(found).extracting(ShiftOccurrence::name).containsExactly("early", "night", "early");
    ShiftOccurrence night = found.get(1);
    assertThat(night.start()).isEqualTo(at(BERLIN, "2026-03-28T22:00"));
    assertThat(night.end() - night.start()).isEqualTo(7 * HOUR);
    assertThat(calendar.shiftAt(at(BERLIN, "2026-03-29T01:30"))).contains(night);
    assertThat(calendar.shiftAt(at(BERLIN, "2026-03-29T15:00"))).isEmpty();
  }

  @Test
  void withoutShifts_eachLocalDayIsOneShift() {
    var calendar = ShiftCalendar.aroundTheClock(BERLIN);

    ShiftOccurrence day = calendar.shiftAt(at(BERLIN, "2026-03-29T10:00")).orElseThrow();

    assertThat(day.name()).isEqualTo("day");
    assertThat(day.start()).isEqualTo(at(BERLIN, "2026-03-29T00:00"));
    assertThat(day.end() - day.start()).isEqualTo(23 * HOUR);
  }
}
