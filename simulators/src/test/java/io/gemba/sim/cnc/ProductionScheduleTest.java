package io.gemba.sim.cnc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.ShiftCalendar;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProductionScheduleTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long HOUR = 3_600_000;
  private static final ShiftCalendar ALWAYS = ShiftCalendar.aroundTheClock(ZoneOffset.UTC);

  @Test
  void sameSeed_givesSameSchedule() {
    List<ScheduleEvent> a =
        new ProductionSchedule(7, ORIGIN, ALWAYS, 20_000).takeUntil(ORIGIN + HOUR);
    List<ScheduleEvent> b =
        new ProductionSchedule(7, ORIGIN, ALWAYS, 20_000).takeUntil(ORIGIN + HOUR);
    List<ScheduleEvent> c =
        new ProductionSchedule(8, ORIGIN, ALWAYS, 20_000).takeUntil(ORIGIN + HOUR);

    assertThat(a).isNotEmpty().isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void scheduleTakenInSteps_equalsScheduleTakenAtOnce() {
    ProductionSchedule stepped = new ProductionSchedule(3, ORIGIN, ALWAYS, 20_000);
    List<ScheduleEvent> inSteps = new java.util.ArrayList<>();
    for (long t = ORIGIN; t <= ORIGIN + HOUR; t += 777) {
      inSteps.addAll(stepped.takeUntil(t));
    }

    assertThat(inSteps)
        .isEqualTo(new ProductionSchedule(3, ORIGIN, ALWAYS, 20_000).takeUntil(ORIGIN + HOUR));
  }

  @Test
  void stateChanges_areFarEnoughApartToBeSampled() {
    List<ScheduleEvent> events =
        new ProductionSchedule(11, ORIGIN, ALWAYS, 20_000).takeUntil(ORIGIN + 4 * HOUR);
    List<Long> changes =
        events.stream()
            .filter(e -> e instanceof ScheduleEvent.StateEntered)
            .map(ScheduleEvent::ts)
            .toList();

    assertThat(changes).hasSizeGreaterThan(20);
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i) - changes.get(i - 1))
          .isGreaterThanOrEqualTo(ProductionSchedule.MIN_SEGMENT_MS);
    }
    assertThat(events).isSortedAccordingTo(java.util.Comparator.comparingLong(ScheduleEvent::ts));
  }

  @Test
  void plannedStop_isPlayedAsPlannedStopWithoutParts() {
    // 1_800_000_000_000 is 2027-01-15T08:00Z; stop 09:00-09:30 UTC.
    var calendar =
        new ShiftCalendar(
            ZoneOffset.UTC,
            List.of(),
            List.of(new PlannedStop("break", LocalTime.of(9, 0), LocalTime.of(9, 30), null)));
    long stopStart = ORIGIN + HOUR;
    List<ScheduleEvent> events =
        new ProductionSchedule(5, ORIGIN, calendar, 20_000).takeUntil(ORIGIN + 2 * HOUR);

    assertThat(events)
        .contains(new ScheduleEvent.StateEntered(stopStart, MachineState.PLANNED_STOP));
    assertThat(events)
        .filteredOn(e -> e.ts() >= stopStart && e.ts() < stopStart + HOUR / 2)
        .containsExactly(new ScheduleEvent.StateEntered(stopStart, MachineState.PLANNED_STOP));
  }
}
