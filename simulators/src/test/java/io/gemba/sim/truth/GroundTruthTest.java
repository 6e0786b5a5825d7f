package io.gemba.sim.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.StopReason;
import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.Shift;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.MachineCursor;
import io.gemba.model.oee.MachineEvent;
import io.gemba.model.oee.MachineOee;
import io.gemba.model.oee.OeeSettings;
import io.gemba.model.oee.WindowAccounting;
import io.gemba.sim.cnc.ProductionSchedule;
import io.gemba.sim.cnc.ScheduleEvent;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's ground truth and the model's event-based window accounting are two independent
 * ways to the same OEE inputs: one from state intervals, one from state and counter readings.
 */
class GroundTruthTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long MINUTE = 60_000;

  @Test
  void truthFromIntervals_equalsAccountingFromReadings() {
    var calendar =
        new ShiftCalendar(
            ZoneOffset.UTC,
            List.of(),
            List.of(new PlannedStop("break", LocalTime.of(8, 40), LocalTime.of(8, 55), null)));
    Machine machine = new Machine("cnc-1", null, MachineKind.CNC, 20, List.of());
    ProductionSchedule schedule = new ProductionSchedule(42, ORIGIN, calendar, 20_000);
    GroundTruth truth =
        new GroundTruth(
            machine,
            new WallClockCalendar(calendar.zone(), calendar.shifts(), calendar.plannedStops()),
            ORIGIN);

    // Minutes close once the micro-stop limit (2 min) has passed after their end.
    List<ScheduleEvent> events = schedule.takeUntil(ORIGIN + 122 * MINUTE);
    events.forEach(truth::record);
    List<MachineOee> minutes = truth.closeUntil(ORIGIN + 122 * MINUTE);

    // The same events as a gateway would read them: state, and cumulative counters from 0.
    List<MachineEvent> readings = new ArrayList<>();
    readings.add(MachineEvent.total(ORIGIN, 0));
    readings.add(MachineEvent.good(ORIGIN, 0));
    long total = 0;
    long good = 0;
    for (ScheduleEvent e : events) {
      if (e instanceof ScheduleEvent.StateEntered s) {
        readings.add(MachineEvent.state(s.ts(), s.state(), wire(s.reason())));
      } else if (e instanceof ScheduleEvent.PartFinished p) {
        readings.add(MachineEvent.total(p.ts(), ++total));
        if (p.good()) {
          readings.add(MachineEvent.good(p.ts(), ++good));
        }
      }
    }
    readings.sort(Comparator.comparingLong(MachineEvent::ts));

    MachineCursor cursor = MachineCursor.initial();
    assertThat(minutes).hasSize(120);
    int producingMinutes = 0;
    long smallStopMs = 0;
    for (MachineOee expected : minutes) {
      var closed = close("cnc-1", cursor, readings, expected, calendar, 20_000);
      cursor = closed.next();
      assertThat(closed.oee()).isEqualTo(expected);
      smallStopMs += expected.times().smallStopMs();
      producingMinutes += expected.inputs().totalCount() > 0 ? 1 : 0;
    }
    assertThat(producingMinutes).isGreaterThan(30);
    assertThat(smallStopMs).isPositive();
    assertThat(minutes.get(45).inputs().plannedMs()).isZero();
  }

  @Test
  void loggedStateIntervalsAndCounts_reproduceEveryMinute() {
    var calendar = ShiftCalendar.aroundTheClock(ZoneOffset.UTC);
    Machine machine = new Machine("cnc-2", null, MachineKind.CNC, 30, List.of());
    ProductionSchedule schedule = new ProductionSchedule(7, ORIGIN, calendar, 30_000);
    GroundTruth truth =
        new GroundTruth(
            machine,
            new WallClockCalendar(calendar.zone(), calendar.shifts(), calendar.plannedStops()),
            ORIGIN);
    schedule.takeUntil(ORIGIN + 182 * MINUTE).forEach(truth::record);
    List<MachineOee> minutes = truth.closeUntil(ORIGIN + 182 * MINUTE);
    List<StateInterval> intervals = truth.drainStateIntervals();
    assertThat(intervals).isNotEmpty();
    assertThat(intervals).allSatisfy(i -> assertThat(i.end()).isGreaterThan(i.start()));
    for (int i = 1; i < intervals.size(); i++) {
      assertThat(intervals.get(i).start()).isEqualTo(intervals.get(i - 1).end());
    }

    // What the log holds, turned back into readings: a state at each interval's start, and the
    // cumulative counts of every logged minute just before its end.
    List<MachineEvent> readings = new ArrayList<>();
    readings.add(MachineEvent.total(ORIGIN, 0));
    readings.add(MachineEvent.good(ORIGIN, 0));
    intervals.forEach(
        i -> readings.add(MachineEvent.state(i.start(), i.state(), wire(i.reason()))));
    long total = 0;
    long good = 0;
    for (MachineOee m : minutes) {
      total += m.inputs().totalCount();
      good += m.inputs().goodCount();
      readings.add(MachineEvent.total(m.end() - 1, total));
      readings.add(MachineEvent.good(m.end() - 1, good));
    }
    readings.sort(Comparator.comparingLong(MachineEvent::ts));

    long lastKnown =
        intervals.get(intervals.size() - 1).end() - OeeSettings.DEFAULT_MICRO_STOP_LIMIT.toMillis();
    MachineCursor cursor = MachineCursor.initial();
    int compared = 0;
    for (MachineOee expected : minutes) {
      if (expected.end() > lastKnown) {
        break;
      }
      var closed = close("cnc-2", cursor, readings, expected, calendar, 30_000);
      cursor = closed.next();
      assertThat(closed.oee().inputs()).isEqualTo(expected.inputs());
      assertThat(closed.oee().figures()).isEqualTo(expected.figures());
      assertThat(closed.oee().times()).isEqualTo(expected.times());
      assertThat(closed.oee().stopReasons()).isEqualTo(expected.stopReasons());
      compared++;
    }
    assertThat(compared).isGreaterThan(100);
  }

  @Test
  void shifts_sumTheirMinutes_andCountTimeBeforeTheStartAsUnknown() {
    // ORIGIN is 16:00 in Shanghai, in the middle of the late shift; the night shift crosses
    // midnight.
    var calendar =
        new ShiftCalendar(
            ZoneId.of("Asia/Shanghai"),
            List.of(
                new Shift("early", LocalTime.of(6, 0), LocalTime.of(14, 0), null),
                new Shift("late", LocalTime.of(14, 0), LocalTime.of(22, 0), null),
                new Shift("night", LocalTime.of(22, 0), LocalTime.of(6, 0), null)),
            List.of(new PlannedStop("dinner", LocalTime.of(18, 0), LocalTime.of(18, 30), null)));
    Machine machine = new Machine("cnc-3", null, MachineKind.CNC, 20, List.of());
    ProductionSchedule schedule = new ProductionSchedule(9, ORIGIN, calendar, 20_000);
    GroundTruth truth =
        new GroundTruth(
            machine,
            new WallClockCalendar(calendar.zone(), calendar.shifts(), calendar.plannedStops()),
            ORIGIN);
    long until = ORIGIN + 29 * 60 * MINUTE;
    schedule.takeUntil(until).forEach(truth::record);
    List<MachineOee> minutes = truth.closeUntil(until);
    List<ShiftTruth> shifts = truth.drainShifts();

    assertThat(shifts).extracting(ShiftTruth::shift).containsExactly("late", "night", "early");
    for (ShiftTruth shift : shifts) {
      MachineOee oee = shift.oee();
      assertThat(oee.end() - oee.start()).isEqualTo(8 * 60 * MINUTE);
      assertThat(oee.inputs().plannedMs()).isEqualTo(calendar.plannedMs(oee.start(), oee.end()));
      List<MachineOee> inside =
          minutes.stream().filter(m -> m.start() >= oee.start() && m.end() <= oee.end()).toList();
      assertThat(oee.inputs().runMs())
          .isEqualTo(inside.stream().mapToLong(m -> m.inputs().runMs()).sum());
      assertThat(oee.inputs().totalCount())
          .isEqualTo(inside.stream().mapToLong(m -> m.inputs().totalCount()).sum());
      assertThat(oee.inputs().goodCount())
          .isEqualTo(inside.stream().mapToLong(m -> m.inputs().goodCount()).sum());
      assertThat(oee.knownPlannedMs())
          .isEqualTo(inside.stream().mapToLong(MachineOee::knownPlannedMs).sum());
      assertThat(truth.shift(oee.start())).contains(shift);
    }
    // The first shift began two hours before the simulation: that planned time is unknown.
    MachineOee first = shifts.get(0).oee();
    assertThat(first.knownPlannedMs())
        .isEqualTo(first.inputs().plannedMs() - calendar.plannedMs(first.start(), ORIGIN));
    assertThat(shifts.get(1).oee().coverage()).isEqualTo(1.0);
    assertThat(shifts.get(1).oee().figures().oee()).isBetween(0.2, 0.95);
    // The simulation ends at 21:00 the next day: the late shift is under way.
    assertThat(truth.shiftToDate())
        .hasValueSatisfying(s -> assertThat(s.shift()).isEqualTo("late"));
  }

  private static String wire(StopReason reason) {
    return reason == null ? null : reason.wireName();
  }

  /** Closes {@code expected}'s minute from the readings as the KPI job does, with look-ahead. */
  private static WindowAccounting.Closed close(
      String machine,
      MachineCursor cursor,
      List<MachineEvent> readings,
      MachineOee expected,
      ShiftCalendar calendar,
      double idealCycleMs) {
    long limit = OeeSettings.DEFAULTS.microStopMs();
    List<MachineEvent> inWindow =
        readings.stream()
            .filter(r -> r.ts() >= expected.start() && r.ts() < expected.end())
            .toList();
    List<MachineEvent> lookahead =
        readings.stream()
            .filter(r -> r.ts() >= expected.end() && r.ts() < expected.end() + limit)
            .toList();
    return WindowAccounting.close(
        machine,
        cursor,
        inWindow,
        lookahead,
        expected.start(),
        expected.end(),
        calendar,
        idealCycleMs,
        OeeSettings.DEFAULTS);
  }
}
