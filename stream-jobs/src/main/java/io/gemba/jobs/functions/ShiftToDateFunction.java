package io.gemba.jobs.functions;

import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.jobs.records.ShiftToDate;
import io.gemba.model.asset.Factory;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.calendar.ShiftOccurrence;
import io.gemba.model.oee.OeeTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * OEE per shift-to-date for machines, lines and factories, in the factory's shift calendar and time
 * zone. Every minute (first or corrected) of a scope replaces that minute in the sums of its shift
 * occurrence, and the shift's sums are emitted again: storage keeps one point per scope and shift,
 * overwritten as the shift goes on. The park has no shift of its own when its factories keep
 * different calendars, so it is not rolled up here. A shift's minutes are kept until the allowed
 * lateness after its end.
 */
public final class ShiftToDateFunction
    extends KeyedProcessFunction<String, ShiftToDateFunction.Part, ShiftToDate> {

  /** One minute of one scope. */
  public record Part(
      String scope,
      String id,
      String factory,
      String line,
      long start,
      long end,
      OeeTotals totals) {

    public String key() {
      return scope + ":" + factory + "/" + id;
    }

    public static Part of(OeeMinute m) {
      return new Part(
          "machine",
          m.machine(),
          m.factory(),
          m.line(),
          m.start(),
          m.end(),
          OeeTotals.of(m.toMachineOee()));
    }

    /** The part of a line or factory minute; empty for the park's. */
    public static Optional<Part> of(RollupMinute r) {
      return switch (r.scope()) {
        case "line" ->
            Optional.of(
                new Part("line", r.id(), r.factory(), r.id(), r.start(), r.end(), r.totals()));
        case "factory" ->
            Optional.of(
                new Part("factory", r.id(), r.factory(), "", r.start(), r.end(), r.totals()));
        default -> Optional.empty();
      };
    }
  }

  private final ParkSpec park;
  private final long lateMs;
  private transient Map<String, ShiftCalendar> calendars;
  private transient MapState<Long, OeeTotals> minutes;

  public ShiftToDateFunction(ParkSpec park, Duration allowedLateness) {
    this.park = park;
    this.lateMs = allowedLateness.toMillis();
  }

  @Override
  public void open(OpenContext context) {
    calendars = new HashMap<>();
    for (Factory f : park.park().factories()) {
      calendars.put(f.id(), f.calendar());
    }
    minutes =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "minutes", Types.LONG, TypeInformation.of(OeeTotals.class)));
  }

  @Override
  public void processElement(Part part, Context ctx, Collector<ShiftToDate> out) throws Exception {
    ShiftCalendar calendar = calendars.get(part.factory());
    Optional<ShiftOccurrence> found = calendar.shiftAt(part.start());
    if (found.isEmpty()) {
      return; // outside every shift: nothing planned, nothing to add
    }
    ShiftOccurrence shift = found.get();
    minutes.put(part.start(), part.totals());
    ctx.timerService().registerEventTimeTimer(shift.end() + lateMs);

    OeeTotals sum = OeeTotals.ZERO;
    long asOf = shift.start();
    for (Map.Entry<Long, OeeTotals> minute : minutes.entries()) {
      if (shift.contains(minute.getKey())) {
        sum = sum.plus(minute.getValue());
        asOf = Math.max(asOf, minute.getKey() + (part.end() - part.start()));
      }
    }
    // Planned time up to the latest minute that no minute reported is planned but unknown.
    long planned = calendar.plannedMs(shift.start(), asOf);
    if (planned > sum.plannedMs()) {
      sum = sum.plus(OeeTotals.unknown(planned - sum.plannedMs()));
    }
    out.collect(
        new ShiftToDate(
            part.scope(),
            part.id(),
            part.factory(),
            part.line(),
            shift.name(),
            shift.start(),
            shift.end(),
            asOf,
            sum));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ShiftToDate> out)
      throws Exception {
    long shiftEnd = timestamp - lateMs;
    List<Long> done = new ArrayList<>();
    for (Long start : minutes.keys()) {
      if (start < shiftEnd) {
        done.add(start);
      }
    }
    for (Long start : done) {
      minutes.remove(start);
    }
  }
}
