package io.gemba.jobs.functions;

import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.MachineCursor;
import io.gemba.model.oee.MachineEvent;
import io.gemba.model.oee.WindowAccounting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * OEE per machine and event-time minute. Observations wait in keyed state until the watermark
 * passes the end of their minute; then the minute is closed in timestamp order with {@link
 * WindowAccounting}, which carries the machine's state and counters into the next minute. A timer
 * per minute keeps minutes closing while the machine stays in one state.
 *
 * <p>An observation for a minute that was already closed is late: it is counted and not applied
 * (recomputing closed minutes is the job of the late-data handling).
 */
public final class MachineOeeFunction extends KeyedProcessFunction<String, Reading, OeeMinute> {

  static final long MINUTE = 60_000;

  private final ParkSpec park;
  private transient Map<String, MachinePlacement> placements;
  private transient ValueState<MachineCursor> cursor;
  private transient ValueState<Long> nextMinute;
  private transient MapState<Long, List<Reading>> pending;
  private transient Counter late;

  public MachineOeeFunction(ParkSpec park) {
    this.park = park;
  }

  @Override
  public void open(OpenContext context) {
    placements =
        park.park().placements().stream().collect(Collectors.toMap(p -> p.machine().id(), p -> p));
    cursor =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("cursor", TypeInformation.of(MachineCursor.class)));
    nextMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("nextMinute", Types.LONG));
    pending =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "pending", Types.LONG, Types.LIST(TypeInformation.of(Reading.class))));
    late = getRuntimeContext().getMetricGroup().counter("lateObservations");
  }

  @Override
  public void processElement(Reading o, Context ctx, Collector<OeeMinute> out) throws Exception {
    long minute = o.ts() - Math.floorMod(o.ts(), MINUTE);
    Long next = nextMinute.value();
    if (next == null || (minute < next && cursor.value() == null)) {
      // Before the first minute closes, a first reading may be older than the others (a counter
      // that last changed long ago): start accounting at the oldest minute seen.
      next = minute;
      nextMinute.update(next);
      ctx.timerService().registerEventTimeTimer(next + MINUTE - 1);
    }
    if (minute < next) {
      late.inc();
      return;
    }
    List<Reading> list = pending.get(minute);
    if (list == null) {
      list = new ArrayList<>();
    }
    list.add(o);
    pending.put(minute, list);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OeeMinute> out)
      throws Exception {
    long start = timestamp + 1 - MINUTE;
    Long next = nextMinute.value();
    if (next == null || start != next) {
      return;
    }
    MachinePlacement placement = placements.get(ctx.getCurrentKey());
    ShiftCalendar calendar = placement.factory().calendar();
    List<Reading> observations = pending.get(start);
    List<MachineEvent> events =
        observations == null
            ? List.of()
            : observations.stream()
                .sorted(Comparator.comparingLong(Reading::ts))
                .map(Reading::toEvent)
                .toList();
    MachineCursor current = cursor.value() == null ? MachineCursor.initial() : cursor.value();
    WindowAccounting.Closed closed =
        WindowAccounting.close(
            ctx.getCurrentKey(),
            current,
            events,
            start,
            start + MINUTE,
            calendar,
            placement.machine().idealCycleMs());
    cursor.update(closed.next());
    pending.remove(start);
    nextMinute.update(start + MINUTE);
    ctx.timerService().registerEventTimeTimer(start + 2 * MINUTE - 1);
    if (closed.next().knownFrom() < start + MINUTE) {
      out.collect(OeeMinute.of(placement.factory().id(), placement.line().id(), closed.oee()));
    }
  }
}
