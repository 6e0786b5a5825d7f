package io.gemba.jobs.functions;

import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.RollupMinute;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.OeeTotals;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rolls machine minutes up to their line, factory and park. Keyed by scope and minute, it keeps
 * each machine's latest minute and, once event time passes the minute's end, emits the sums of
 * times and counts with figures computed from them. A machine minute computed again after late data
 * replaces the machine's part and the rollup is emitted again at once, overwriting what was stored;
 * after the allowed lateness the minute's state is dropped.
 */
public final class RollupFunction
    extends KeyedProcessFunction<String, RollupFunction.Contribution, RollupMinute> {

  static final long MINUTE = 60_000;

  /**
   * One machine minute as part of one scope's minute; {@link #key} is what the stream is keyed by.
   */
  public record Contribution(String scope, String id, String factory, OeeMinute minute) {

    public String key() {
      return scope + ":" + factory + "/" + id + "@" + minute.start();
    }
  }

  /** A machine minute as part of its line, its factory and the park. */
  public static List<Contribution> contributions(String parkId, OeeMinute m) {
    return List.of(
        new Contribution("line", m.line(), m.factory(), m),
        new Contribution("factory", m.factory(), m.factory(), m),
        new Contribution("park", parkId, "", m));
  }

  private final ParkSpec park;
  private final long lateMs;
  private transient Map<String, Map<String, ShiftCalendar>> machinesOfScope;
  private transient MapState<String, OeeMinute> parts;
  private transient ValueState<Contribution> identity;

  /**
   * @param allowedLateness as for {@link MachineOeeFunction}: how long a minute may still change
   */
  public RollupFunction(ParkSpec park, Duration allowedLateness) {
    this.park = park;
    this.lateMs = allowedLateness.toMillis();
  }

  @Override
  public void open(OpenContext context) {
    Park p = park.park();
    machinesOfScope = new HashMap<>();
    for (MachinePlacement m : p.placements()) {
      ShiftCalendar calendar = m.factory().calendar();
      String factory = m.factory().id();
      for (String scope :
          List.of(
              "line:" + factory + "/" + m.line().id(),
              "factory:" + factory + "/" + factory,
              "park:/" + p.id())) {
        machinesOfScope
            .computeIfAbsent(scope, k -> new LinkedHashMap<>())
            .put(m.machine().id(), calendar);
      }
    }
    parts =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "parts", Types.STRING, TypeInformation.of(OeeMinute.class)));
    identity =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("identity", TypeInformation.of(Contribution.class)));
  }

  @Override
  public void processElement(Contribution c, Context ctx, Collector<RollupMinute> out)
      throws Exception {
    long closesAt = c.minute().start() + MINUTE - 1;
    boolean first = identity.value() == null;
    identity.update(c);
    parts.put(c.minute().machine(), c.minute());
    if (ctx.timerService().currentWatermark() >= closesAt) {
      // A correction after the minute closed: emit the corrected sums now.
      out.collect(sum(c));
    } else if (first) {
      ctx.timerService().registerEventTimeTimer(closesAt);
      ctx.timerService().registerEventTimeTimer(closesAt + lateMs + MINUTE);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RollupMinute> out)
      throws Exception {
    Contribution c = identity.value();
    if (c == null) {
      return;
    }
    if (timestamp == c.minute().start() + MINUTE - 1) {
      out.collect(sum(c));
    } else {
      parts.clear();
      identity.clear();
    }
  }

  private RollupMinute sum(Contribution c) throws Exception {
    long start = c.minute().start();
    long end = c.minute().end();
    OeeTotals totals = OeeTotals.ZERO;
    int reporting = 0;
    Map<String, ShiftCalendar> members =
        machinesOfScope.getOrDefault(c.scope() + ":" + c.factory() + "/" + c.id(), Map.of());
    for (Map.Entry<String, ShiftCalendar> member : members.entrySet()) {
      OeeMinute m = parts.get(member.getKey());
      if (m == null) {
        // Reported nothing: its planned time counts, with an unknown state.
        totals = totals.plus(OeeTotals.unknown(member.getValue().plannedMs(start, end)));
      } else {
        totals = totals.plus(OeeTotals.of(m.toMachineOee()));
        reporting++;
      }
    }
    return new RollupMinute(
        c.scope(), c.id(), c.factory(), start, end, totals, members.size(), reporting);
  }
}
