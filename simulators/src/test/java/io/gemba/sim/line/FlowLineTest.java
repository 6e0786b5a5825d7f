package io.gemba.sim.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.Production;
import io.gemba.model.asset.StopReason;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.sim.cnc.ProductionSchedule;
import io.gemba.sim.cnc.ScheduleEvent;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowLineTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long HOUR = 3_600_000;
  private static final ShiftCalendar ALWAYS = ShiftCalendar.aroundTheClock(ZoneOffset.UTC);
  private static final int BUFFER = 2;
  private static final long CYCLE_MS = 20_000;

  /** Long repairs, so that a breakdown outlasts what the buffers can absorb. */
  private static final Production LONG_REPAIRS =
      new Production(
          Duration.ofMinutes(30),
          Duration.ofMinutes(12),
          null,
          null,
          null,
          null,
          null,
          null,
          0.1,
          0.05);

  private static FlowLine line(int stations, long seed) {
    List<ProductionSchedule> own = new ArrayList<>();
    for (int i = 0; i < stations; i++) {
      own.add(new ProductionSchedule(seed + i, ORIGIN, ALWAYS, CYCLE_MS, LONG_REPAIRS, false));
    }
    return new FlowLine(own, BUFFER, ORIGIN);
  }

  private static List<List<ScheduleEvent>> play(FlowLine line, int stations, long until) {
    List<List<ScheduleEvent>> out = new ArrayList<>();
    for (int i = 0; i < stations; i++) {
      out.add(line.station(i).takeUntil(until));
    }
    return out;
  }

  @Test
  void stoppedStation_starvesTheNextAndBlocksThePrevious() {
    List<List<ScheduleEvent>> events = play(line(3, 5), 3, ORIGIN + 48 * HOUR);

    List<ScheduleEvent.StateEntered> middle = states(events.get(1));
    List<ScheduleEvent.StateEntered> before = states(events.get(0));
    List<ScheduleEvent.StateEntered> after = states(events.get(2));
    int checked = 0;
    int starved = 0;
    int blocked = 0;
    for (int i = 0; i + 1 < middle.size(); i++) {
      ScheduleEvent.StateEntered down = middle.get(i);
      long end = middle.get(i + 1).ts();
      // Long enough for the buffer after to run dry and the one before to fill up.
      if (down.reason() != StopReason.BREAKDOWN || end - down.ts() < 8 * CYCLE_MS) {
        continue;
      }
      long late = end - 1;
      // While it is down, the station after can only work the parts already between them, and
      // the station before only fill the buffer between them.
      assertThat(partsBetween(events.get(2), down.ts(), end, false))
          .isLessThanOrEqualTo(BUFFER + 2);
      assertThat(partsBetween(events.get(0), down.ts(), end, true)).isLessThanOrEqualTo(BUFFER + 2);
      starved += stateAt(after, late).reason() == StopReason.STARVED ? 1 : 0;
      blocked += stateAt(before, late).reason() == StopReason.BLOCKED ? 1 : 0;
      checked++;
    }
    assertThat(starved).isGreaterThan(checked / 2);
    assertThat(blocked).isGreaterThan(checked / 2);
    assertThat(checked).isGreaterThan(5);
  }

  @Test
  void partsAreConserved_alongTheLine() {
    int stations = 4;
    FlowLine line = line(stations, 9);
    List<List<ScheduleEvent>> events = play(line, stations, ORIGIN + 24 * HOUR);

    for (int i = 0; i + 1 < stations; i++) {
      long goodHere = parts(events.get(i), true);
      long takenNext = parts(events.get(i + 1), null);
      // Every part the next station finished came good from this one; the rest sit in between:
      // in the buffer, in the next station's hands, or finished here and waiting to leave.
      assertThat(takenNext).isLessThanOrEqualTo(goodHere);
      assertThat(goodHere - takenNext).isLessThanOrEqualTo(BUFFER + 2);
      assertThat(goodHere - takenNext).isGreaterThanOrEqualTo(line.buffered(i + 1));
    }
    assertThat(parts(events.get(stations - 1), null)).isGreaterThan(500);
  }

  @Test
  void partsFinish_onlyWhileProducing() {
    List<List<ScheduleEvent>> events = play(line(3, 13), 3, ORIGIN + 12 * HOUR);
    for (List<ScheduleEvent> station : events) {
      MachineState state = MachineState.UNKNOWN;
      for (ScheduleEvent e : station) {
        if (e instanceof ScheduleEvent.StateEntered s) {
          state = s.state();
        } else {
          assertThat(state).as("state when %s", e).isEqualTo(MachineState.PRODUCING);
        }
      }
    }
  }

  @Test
  void playedInSteps_inAnyOrder_equalsPlayedAtOnce() {
    List<List<ScheduleEvent>> atOnce = play(line(3, 17), 3, ORIGIN + 6 * HOUR);

    FlowLine stepped = line(3, 17);
    List<List<ScheduleEvent>> inSteps =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    int turn = 0;
    for (long t = ORIGIN; t <= ORIGIN + 6 * HOUR; t += 3_217) {
      // The last station asks first on odd turns.
      for (int k = 0; k < 3; k++) {
        int i = turn % 2 == 0 ? k : 2 - k;
        inSteps.get(i).addAll(stepped.station(i).takeUntil(t));
      }
      turn++;
    }
    for (int i = 0; i < 3; i++) {
      inSteps.get(i).addAll(stepped.station(i).takeUntil(ORIGIN + 6 * HOUR));
    }

    assertThat(inSteps).isEqualTo(atOnce);
  }

  private static List<ScheduleEvent.StateEntered> states(List<ScheduleEvent> events) {
    return events.stream()
        .filter(e -> e instanceof ScheduleEvent.StateEntered)
        .map(e -> (ScheduleEvent.StateEntered) e)
        .toList();
  }

  private static ScheduleEvent.StateEntered stateAt(
      List<ScheduleEvent.StateEntered> states, long ts) {
    ScheduleEvent.StateEntered at = null;
    for (ScheduleEvent.StateEntered s : states) {
      if (s.ts() > ts) {
        break;
      }
      at = s;
    }
    return at;
  }

  /**
   * Parts finished strictly inside {@code (from, to)}; rejects leave the line, so may be left out.
   */
  private static long partsBetween(
      List<ScheduleEvent> events, long from, long to, boolean goodOnly) {
    return events.stream()
        .filter(e -> e instanceof ScheduleEvent.PartFinished p && (!goodOnly || p.good()))
        .filter(e -> e.ts() > from && e.ts() < to)
        .count();
  }

  /** Finished parts; only good ones when {@code good} is true, all when null. */
  private static long parts(List<ScheduleEvent> events, Boolean good) {
    return events.stream()
        .filter(e -> e instanceof ScheduleEvent.PartFinished)
        .filter(e -> good == null || ((ScheduleEvent.PartFinished) e).good())
        .count();
  }
}
