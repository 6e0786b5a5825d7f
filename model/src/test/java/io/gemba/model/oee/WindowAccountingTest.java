package io.gemba.model.oee;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAccountingTest {

  private static final long T0 = 1_800_000_000_000L - (1_800_000_000_000L % 60_000);
  private static final ShiftCalendar ALWAYS = ShiftCalendar.aroundTheClock(ZoneOffset.UTC);

  private static WindowAccounting.Closed close(MachineCursor cursor, List<MachineEvent> events) {
    return WindowAccounting.close("cnc-1", cursor, events, T0, T0 + 60_000, ALWAYS, 20_000);
  }

  private static MachineCursor knownSinceBefore(MachineState state, long total, long good) {
    return new MachineCursor(state, true, true, total, true, good, false, T0 - 1);
  }

  @Test
  void stateChangesAndCounts_withinOneMinute() {
    var closed =
        close(
            knownSinceBefore(MachineState.PRODUCING, 10, 9),
            List.of(
                MachineEvent.total(T0 + 10_000, 11),
                MachineEvent.good(T0 + 10_000, 10),
                MachineEvent.state(T0 + 15_000, MachineState.DOWN),
                MachineEvent.state(T0 + 45_000, MachineState.PRODUCING),
                MachineEvent.total(T0 + 50_000, 12)));

    OeeInputs in = closed.oee().inputs();
    assertThat(in.plannedMs()).isEqualTo(60_000);
    assertThat(in.runMs()).isEqualTo(30_000);
    assertThat(in.totalCount()).isEqualTo(2);
    assertThat(in.goodCount()).isEqualTo(1);
    assertThat(closed.oee().knownPlannedMs()).isEqualTo(60_000);
    assertThat(closed.next().state()).isEqualTo(MachineState.PRODUCING);
    assertThat(closed.next().lastTotal()).isEqualTo(12);
  }

  @Test
  void firstReadings_onlySetBaselinesAndStartCoverage() {
    var closed =
        close(
            MachineCursor.initial(),
            List.of(
                MachineEvent.total(T0 + 5_000, 100),
                MachineEvent.state(T0 + 10_000, MachineState.PRODUCING),
                MachineEvent.good(T0 + 20_000, 90),
                MachineEvent.total(T0 + 40_000, 101),
                MachineEvent.good(T0 + 40_000, 91)));

    assertThat(closed.next().knownFrom()).isEqualTo(T0 + 20_000);
    assertThat(closed.oee().knownPlannedMs()).isEqualTo(40_000);
    assertThat(closed.oee().inputs().runMs()).isEqualTo(40_000);
    assertThat(closed.oee().inputs().totalCount()).isEqualTo(1);
    assertThat(closed.oee().coverage()).isEqualTo(40.0 / 60);
  }

  @Test
  void rejectCounter_goodIsTotalMinusRejects() {
    var closed =
        close(
            MachineCursor.initial(),
            List.of(
                MachineEvent.state(T0, MachineState.PRODUCING),
                MachineEvent.total(T0, 100),
                MachineEvent.counter(MachineEvent.Kind.REJECT, T0, 5, 0),
                MachineEvent.total(T0 + 30_000, 110),
                MachineEvent.counter(MachineEvent.Kind.REJECT, T0 + 40_000, 7, 0)));

    assertThat(closed.next().rejectCounter()).isTrue();
    assertThat(closed.oee().inputs().totalCount()).isEqualTo(10);
    assertThat(closed.oee().inputs().goodCount()).isEqualTo(8);

    // The next window: one part, rejected.
    var next =
        WindowAccounting.close(
            "cnc-1",
            closed.next(),
            List.of(
                MachineEvent.total(T0 + 70_000, 111),
                MachineEvent.counter(MachineEvent.Kind.REJECT, T0 + 70_000, 8, 0)),
            T0 + 60_000,
            T0 + 120_000,
            ALWAYS,
            20_000);
    assertThat(next.oee().inputs().totalCount()).isEqualTo(1);
    assertThat(next.oee().inputs().goodCount()).isZero();
  }

  @Test
  void counterReset_countsNewValueFromZero() {
    var closed =
        close(
            knownSinceBefore(MachineState.PRODUCING, 65_530, 65_530),
            List.of(MachineEvent.total(T0 + 1_000, 3), MachineEvent.good(T0 + 1_000, 3)));

    assertThat(closed.oee().inputs().totalCount()).isEqualTo(3);
    assertThat(closed.oee().inputs().goodCount()).isEqualTo(3);
  }

  @Test
  void sixteenBitCounterWrap_countsAcrossTheWrap() {
    var closed =
        close(
            knownSinceBefore(MachineState.PRODUCING, 65_534, 65_534),
            List.of(
                MachineEvent.counter(MachineEvent.Kind.TOTAL, T0 + 1_000, 2, 65_536),
                MachineEvent.counter(MachineEvent.Kind.GOOD, T0 + 1_000, 1, 65_536)));

    assertThat(closed.oee().inputs().totalCount()).isEqualTo(4);
    assertThat(closed.oee().inputs().goodCount()).isEqualTo(3);
  }

  @Test
  void dropInTheMiddleOfTheRange_isAResetNotAWrap() {
    assertThat(WindowAccounting.increment(30_000, 5, 65_536)).isEqualTo(5);
    assertThat(WindowAccounting.increment(65_000, 40_000, 65_536)).isEqualTo(40_000);
    assertThat(WindowAccounting.increment(65_000, 10, 0)).isEqualTo(10);
  }

  @Test
  void unknownState_isNeitherRunNorCovered() {
    var closed =
        close(
            knownSinceBefore(MachineState.PRODUCING, 0, 0),
            List.of(MachineEvent.state(T0 + 30_000, MachineState.UNKNOWN)));

    assertThat(closed.oee().inputs().runMs()).isEqualTo(30_000);
    assertThat(closed.oee().knownPlannedMs()).isEqualTo(30_000);
  }
}
