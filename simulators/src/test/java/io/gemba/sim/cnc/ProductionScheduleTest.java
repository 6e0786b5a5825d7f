package io.gemba.sim.cnc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Production;
import io.gemba.model.asset.StopReason;
import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.ShiftCalendar;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

  private static List<ScheduleEvent.StateEntered> states(List<ScheduleEvent> events) {
    return events.stream()
        .filter(e -> e instanceof ScheduleEvent.StateEntered)
        .map(e -> (ScheduleEvent.StateEntered) e)
        .toList();
  }

  /** Durations of the intervals that begin with a state entered for {@code reason}. */
  private static List<Long> durations(List<ScheduleEvent.StateEntered> states, StopReason reason) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i + 1 < states.size(); i++) {
      if (states.get(i).reason() == reason) {
        out.add(states.get(i + 1).ts() - states.get(i).ts());
      }
    }
    return out;
  }

  @Test
  void breakdowns_followMtbfAndMttr_andEveryStopHasItsReason() {
    Production behaviour =
        new Production(
            Duration.ofMinutes(40),
            Duration.ofMinutes(4),
            Duration.ofMinutes(5),
            Duration.ofSeconds(30),
            Duration.ofHours(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofSeconds(20),
            0.2,
            0.08);
    long horizon = 1_000 * HOUR;
    List<ScheduleEvent> events =
        new ProductionSchedule(21, ORIGIN, ALWAYS, 20_000, behaviour, true)
            .takeUntil(horizon + ORIGIN);
    List<ScheduleEvent.StateEntered> states = states(events);

    long runMs = durations(states, null).stream().mapToLong(Long::longValue).sum();
    List<Long> repairs = durations(states, StopReason.BREAKDOWN);
    List<Long> microStops = durations(states, StopReason.MICRO_STOP);
    List<Long> changeovers = durations(states, StopReason.CHANGEOVER);
    List<Long> waits = durations(states, StopReason.WAITING);

    // Running time per breakdown estimates the MTBF; the mean repair the MTTR (within 10 %).
    assertThat(runMs / (double) repairs.size()).isCloseTo(40 * 60_000.0, withinPercentage(10));
    assertThat(mean(repairs)).isCloseTo(4 * 60_000.0, withinPercentage(10));
    assertThat(runMs / (double) microStops.size()).isCloseTo(5 * 60_000.0, withinPercentage(10));
    assertThat(microStops).allSatisfy(d -> assertThat(d).isBetween(15_000L, 45_000L));
    assertThat(runMs / (double) waits.size()).isCloseTo(20 * 60_000.0, withinPercentage(10));
    // A changeover falls due after two hours of running, so their count is fixed by the run time.
    assertThat(changeovers.size()).isCloseTo((int) (runMs / (2 * HOUR)), within(1));
    assertThat(changeovers).allSatisfy(d -> assertThat(d).isBetween(480_000L, 720_000L));
    assertThat(states)
        .allSatisfy(
            s ->
                assertThat(s.reason() == null)
                    .as("reason of %s", s)
                    .isEqualTo(s.state() == MachineState.PRODUCING));
    assertThat(states)
        .filteredOn(s -> s.reason() == StopReason.MICRO_STOP)
        .allSatisfy(s -> assertThat(s.state()).isEqualTo(MachineState.DOWN));

    List<ScheduleEvent.PartFinished> parts =
        events.stream()
            .filter(e -> e instanceof ScheduleEvent.PartFinished)
            .map(e -> (ScheduleEvent.PartFinished) e)
            .toList();
    double rejects = parts.stream().filter(p -> !p.good()).count() / (double) parts.size();
    assertThat(rejects).isCloseTo(0.08, within(0.005));
  }

  @Test
  void zeroEvery_switchesThatStopOff() {
    Production noStops =
        new Production(
            Duration.ZERO,
            null,
            Duration.ZERO,
            null,
            Duration.ZERO,
            null,
            Duration.ofMinutes(10),
            null,
            null,
            null);
    List<ScheduleEvent.StateEntered> states =
        states(
            new ProductionSchedule(4, ORIGIN, ALWAYS, 20_000, noStops, true)
                .takeUntil(ORIGIN + 50 * HOUR));

    assertThat(states).extracting(ScheduleEvent.StateEntered::reason).contains(StopReason.WAITING);
    assertThat(states)
        .extracting(ScheduleEvent.StateEntered::reason)
        .doesNotContain(StopReason.BREAKDOWN, StopReason.MICRO_STOP, StopReason.CHANGEOVER);
  }

  private static double mean(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElseThrow();
  }
}
