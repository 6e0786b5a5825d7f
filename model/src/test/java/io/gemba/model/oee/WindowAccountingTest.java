package io.gemba.model.oee;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.ShiftCalendar;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowAccountingTest {

  private static final long T0 = 1_800_000_000_000L - (1_800_000_000_000L % 60_000);
  private static final ShiftCalendar ALWAYS = ShiftCalendar.aroundTheClock(ZoneOffset.UTC);

  private static WindowAccounting.Closed close(MachineCursor cursor, List<MachineEvent> events) {
    return WindowAccounting.close("cnc-1", cursor, events, T0, T0 + 60_000, ALWAYS, 20_000);
  }

  private static MachineCursor knownSinceBefore(MachineState state, long total, long good) {
    return new MachineCursor(
        state, null, true, true, total, true, good, false, T0 - 1, T0 - 1, Long.MIN_VALUE);
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

  private static final OeeSettings TWO_MINUTES = new OeeSettings(null, null);

  private static WindowAccounting.Closed closeMinute(
      MachineCursor cursor, long start, List<MachineEvent> events, List<MachineEvent> lookahead) {
    return WindowAccounting.close(
        "cnc-1", cursor, events, lookahead, start, start + 60_000, ALWAYS, 20_000, TWO_MINUTES);
  }

  @Test
  void shortStop_isRunTimeAndSmallStopLoss_longStopIsDowntime() {
    MachineCursor producing = knownSinceBefore(MachineState.PRODUCING, 0, 0);
    // Down from 10 s to 40 s: a 30 s stop.
    var shortStop =
        closeMinute(
            producing,
            T0,
            List.of(
                MachineEvent.state(T0 + 10_000, MachineState.DOWN, "jam"),
                MachineEvent.state(T0 + 40_000, MachineState.PRODUCING)),
            List.of());
    assertThat(shortStop.oee().inputs().runMs()).isEqualTo(60_000);
    assertThat(shortStop.oee().times().smallStopMs()).isEqualTo(30_000);
    assertThat(shortStop.oee().times().producingMs()).isEqualTo(30_000);
    assertThat(shortStop.oee().stopReasons()).containsExactly(Map.entry("jam", 30_000L));

    // Down from 10 s for three minutes: downtime in every minute it spans.
    var longStop =
        closeMinute(
            producing,
            T0,
            List.of(MachineEvent.state(T0 + 10_000, MachineState.DOWN, "breakdown")),
            List.of(MachineEvent.state(T0 + 190_000, MachineState.PRODUCING)));
    assertThat(longStop.oee().inputs().runMs()).isEqualTo(10_000);
    assertThat(longStop.oee().times().smallStopMs()).isZero();
    assertThat(longStop.oee().times().unplannedStopMs()).isEqualTo(50_000);
  }

  @Test
  void stopAcrossMinutes_isSmallInBothWhenItsEndIsInTheLookahead() {
    MachineCursor producing = knownSinceBefore(MachineState.PRODUCING, 0, 0);
    // Idle, then down for another reason, from 50 s to 1 min 30 s: one 40 s stop in two minutes.
    List<MachineEvent> second =
        List.of(
            MachineEvent.state(T0 + 70_000, MachineState.DOWN, "sensor"),
            MachineEvent.state(T0 + 90_000, MachineState.PRODUCING));
    var first =
        closeMinute(
            producing,
            T0,
            List.of(MachineEvent.state(T0 + 50_000, MachineState.IDLE, "waiting")),
            second);
    assertThat(first.oee().times().smallStopMs()).isEqualTo(10_000);
    var next = closeMinute(first.next(), T0 + 60_000, second, List.of());
    assertThat(next.oee().times().smallStopMs()).isEqualTo(30_000);
    assertThat(next.oee().stopReasons())
        .containsOnly(Map.entry("waiting", 10_000L), Map.entry("sensor", 20_000L));

    // Without the lookahead the end of the stop is not known, so it is not counted as small.
    var blind =
        closeMinute(
            producing,
            T0,
            List.of(MachineEvent.state(T0 + 50_000, MachineState.IDLE, "waiting")),
            List.of());
    assertThat(blind.oee().times().smallStopMs()).isZero();
  }

  @Test
  void rejectsAfterSetup_areStartupRejects() {
    MachineCursor setup = knownSinceBefore(MachineState.SETUP, 10, 10);
    var changeover =
        closeMinute(
            setup,
            T0,
            List.of(
                MachineEvent.state(T0 + 30_000, MachineState.PRODUCING),
                MachineEvent.total(T0 + 50_000, 11)),
            List.of());
    assertThat(changeover.oee().startupRejects()).isEqualTo(1);
    assertThat(changeover.oee().stopReasons()).containsExactly(Map.entry("setup", 30_000L));

    // Four minutes after the setup ended: still inside the 5 min startup window.
    var later =
        closeMinute(
            changeover.next(),
            T0 + 4 * 60_000,
            List.of(MachineEvent.total(T0 + 4 * 60_000 + 10_000, 12)),
            List.of());
    assertThat(later.oee().startupRejects()).isEqualTo(1);
    var outside =
        closeMinute(
            later.next(),
            T0 + 6 * 60_000,
            List.of(MachineEvent.total(T0 + 6 * 60_000 + 10_000, 13)),
            List.of());
    assertThat(outside.oee().startupRejects()).isZero();
    assertThat(outside.oee().inputs().totalCount() - outside.oee().inputs().goodCount())
        .isEqualTo(1);
  }

  @Test
  void sixBigLosses_addUpToTheKnownPlannedTime() {
    MachineCursor producing = knownSinceBefore(MachineState.PRODUCING, 0, 0);
    var closed =
        closeMinute(
            producing,
            T0,
            List.of(
                MachineEvent.total(T0 + 1_000, 1),
                MachineEvent.good(T0 + 1_000, 1),
                MachineEvent.state(T0 + 5_000, MachineState.DOWN),
                MachineEvent.state(T0 + 15_000, MachineState.PRODUCING),
                MachineEvent.total(T0 + 30_000, 2),
                MachineEvent.state(T0 + 40_000, MachineState.SETUP)),
            List.of());
    OeeTotals totals = OeeTotals.of(closed.oee());
    SixBigLosses l = totals.losses();
    double sum =
        l.unplannedStopMs()
            + l.plannedStopMs()
            + l.smallStopMs()
            + l.slowCycleMs()
            + l.productionRejectMs()
            + l.startupRejectMs()
            + totals.fullyProductiveMs();
    assertThat(sum).isEqualTo(totals.knownPlannedMs());
    assertThat(l.smallStopMs()).isEqualTo(10_000);
    assertThat(l.plannedStopMs()).isEqualTo(20_000);
    // The reject in the minute that ends in setup counts as a startup reject.
    assertThat(l.startupRejectMs()).isEqualTo(20_000);
  }
}
