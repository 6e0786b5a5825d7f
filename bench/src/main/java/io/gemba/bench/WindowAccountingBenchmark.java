package io.gemba.bench;

import io.gemba.model.asset.MachineState;
import io.gemba.model.calendar.PlannedStop;
import io.gemba.model.calendar.Shift;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.MachineCursor;
import io.gemba.model.oee.MachineEvent;
import io.gemba.model.oee.OeeSettings;
import io.gemba.model.oee.WindowAccounting;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Closing one machine minute with a busy mix of 10 state changes and 40 counter readings, against a
 * three-shift calendar with breaks, as the KPI job does once per machine and minute.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WindowAccountingBenchmark {

  private static final long START = 1_800_000_000_000L;

  private ShiftCalendar calendar;
  private List<MachineEvent> events;
  private MachineCursor cursor;

  @Setup
  public void prepare() {
    calendar =
        new ShiftCalendar(
            ZoneId.of("Asia/Shanghai"),
            List.of(
                new Shift("early", LocalTime.of(6, 0), LocalTime.of(14, 0), null),
                new Shift("late", LocalTime.of(14, 0), LocalTime.of(22, 0), null),
                new Shift("night", LocalTime.of(22, 0), LocalTime.of(6, 0), null)),
            List.of(new PlannedStop("lunch", LocalTime.of(11, 30), LocalTime.of(12, 0), null)));
    cursor =
        new MachineCursor(
            MachineState.PRODUCING,
            null,
            true,
            true,
            100,
            true,
            90,
            false,
            START - 1,
            START - 1,
            Long.MIN_VALUE);
    events = new ArrayList<>();
    MachineState[] cycle = {MachineState.IDLE, MachineState.PRODUCING};
    for (int i = 0; i < 50; i++) {
      long ts = START + i * 1_200L;
      if (i % 5 == 0) {
        events.add(MachineEvent.state(ts, cycle[(i / 5) % 2], "waiting"));
      } else {
        events.add(i % 2 == 0 ? MachineEvent.total(ts, 100 + i) : MachineEvent.good(ts, 90 + i));
      }
    }
  }

  @Benchmark
  public WindowAccounting.Closed closeMinute() {
    // As the KPI job closes a minute: short stops told apart with the events after it in view.
    return WindowAccounting.close(
        "cnc-07",
        cursor,
        events,
        List.of(),
        START,
        START + 60_000,
        calendar,
        20_000,
        OeeSettings.DEFAULTS);
  }
}
