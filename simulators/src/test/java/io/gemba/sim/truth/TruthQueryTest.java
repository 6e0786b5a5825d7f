package io.gemba.sim.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.Park;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.MachineOee;
import io.gemba.sim.cnc.ProductionSchedule;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The truth query sums the logged minutes, so rollups weigh machines by their times and counts. */
class TruthQueryTest {

  private static final long ORIGIN = 1_800_000_000_000L;
  private static final long MINUTE = 60_000;

  @TempDir Path dir;

  @Test
  void rollupsSumTimesAndCounts_andMachinesMatchTheirMinutes() throws Exception {
    Machine fast = new Machine("cnc-1", null, MachineKind.CNC, 12, List.of());
    Machine slow = new Machine("cnc-2", null, MachineKind.CNC, 45, List.of());
    Machine other = new Machine("robot-1", null, MachineKind.ROBOT, 20, List.of());
    Factory factory =
        new Factory(
            "f1",
            null,
            ZoneId.of("UTC"),
            null,
            null,
            List.of(new Line("a", null, List.of(fast, slow)), new Line("b", null, List.of(other))));
    Park park = new Park("p", null, List.of(factory));
    ShiftCalendar calendar = factory.calendar();
    Path log = dir.resolve("truth.jsonl");
    List<MachineOee> all = new ArrayList<>();
    try (TruthLog sink = new TruthLog(log)) {
      int seed = 0;
      for (Machine m : List.of(fast, slow, other)) {
        GroundTruth truth =
            new GroundTruth(
                m,
                new WallClockCalendar(calendar.zone(), calendar.shifts(), calendar.plannedStops()),
                ORIGIN);
        new ProductionSchedule(++seed, ORIGIN, calendar, m.idealCycleMs())
            .takeUntil(ORIGIN + 90 * MINUTE)
            .forEach(truth::record);
        for (MachineOee minute : truth.closeUntil(ORIGIN + 90 * MINUTE)) {
          sink.accept(minute);
          all.add(minute);
        }
      }
    }
    Instant from = Instant.ofEpochMilli(ORIGIN + 30 * MINUTE);
    Instant to = Instant.ofEpochMilli(ORIGIN + 60 * MINUTE);
    List<MachineOee> range =
        all.stream()
            .filter(m -> m.start() >= from.toEpochMilli() && m.end() <= to.toEpochMilli())
            .toList();

    List<TruthQuery.Row> machines =
        new TruthQuery().summarize(log, null, TruthQuery.Level.MACHINE, from, to);
    assertThat(machines)
        .extracting(TruthQuery.Row::group)
        .containsExactly("cnc-1", "cnc-2", "robot-1");
    TruthQuery.Row first = machines.get(0);
    List<MachineOee> firstMinutes =
        range.stream().filter(m -> m.machineId().equals("cnc-1")).toList();
    assertThat(firstMinutes).hasSize(30);
    assertThat(first.totals().runMs())
        .isEqualTo(firstMinutes.stream().mapToLong(m -> m.inputs().runMs()).sum());
    assertThat(first.totals().goodCount())
        .isEqualTo(firstMinutes.stream().mapToLong(m -> m.inputs().goodCount()).sum());

    List<TruthQuery.Row> lines =
        new TruthQuery().summarize(log, park, TruthQuery.Level.LINE, from, to);
    assertThat(lines).extracting(TruthQuery.Row::group).containsExactly("f1/a", "f1/b");
    TruthQuery.Row lineA = lines.get(0);
    double productive = 0;
    long planned = 0;
    for (MachineOee m : range) {
      if (!m.machineId().equals("robot-1")) {
        productive += m.inputs().fullyProductiveMs();
        planned += m.inputs().plannedMs();
      }
    }
    assertThat(lineA.totals().oee()).isCloseTo(productive / planned, within(1e-12));
    // Performance is the ideal time of all parts over all run time, not the average of the two
    // machines' performance, which would weigh an hour's run like a minute's.
    double net = 0;
    long run = 0;
    for (MachineOee m : range) {
      if (!m.machineId().equals("robot-1")) {
        net += m.inputs().netRunMs();
        run += m.inputs().runMs();
      }
    }
    assertThat(lineA.totals().performance()).isCloseTo(net / run, within(1e-12));
    assertThat(machines.get(0).totals().producingMs())
        .isNotEqualTo(machines.get(1).totals().producingMs());
    // The log carries the split of time among states: the row sums it too.
    assertThat(first.totals().smallStopMs())
        .isEqualTo(firstMinutes.stream().mapToLong(m -> m.times().smallStopMs()).sum());

    List<TruthQuery.Row> parkRow =
        new TruthQuery().summarize(log, park, TruthQuery.Level.PARK, Instant.MIN, Instant.MAX);
    assertThat(parkRow)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.totals().totalCount())
                    .isEqualTo(all.stream().mapToLong(m -> m.inputs().totalCount()).sum()));
    assertThat(TruthQuery.table(lines)).contains("f1/a").contains("%");
  }

  @Test
  void groupingAboveMachines_needsThePark() {
    assertThatThrownBy(
            () ->
                new TruthQuery()
                    .summarize(
                        dir.resolve("x"), null, TruthQuery.Level.FACTORY, Instant.MIN, Instant.MAX))
        .hasMessageContaining("--by factory")
        .hasMessageContaining("--park");
  }
}
