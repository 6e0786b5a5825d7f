package io.gemba.jobs.anomaly;

import io.gemba.jobs.functions.ParkSpec;
import io.gemba.jobs.functions.SignalGate;
import io.gemba.jobs.records.Reading;
import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.envelope.Quality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Anomaly detection per machine, keyed by machine, in event time: readings wait until the watermark
 * passes them and are then judged in timestamp order (state changes before signals of the same
 * instant), so that readings reordered on the way (parallel readers, resends) are judged as they
 * happened. Signal readings already behind the watermark are not judged (metric {@code
 * lateForAnomalies}); a late state change takes effect at once, so that signals are not judged in a
 * state the machine has left; a machine whose clock is off is found where envelopes are decoded.
 * The machine's {@link MachineMonitor} is kept in keyed state, so that it survives a restart.
 */
public final class AnomalyFunction extends KeyedProcessFunction<String, Reading, Anomaly> {

  private final ParkSpec park;
  private final long silenceMs;
  private transient Map<String, MachinePlacement> placements;
  private transient Map<String, MachineKind> kinds;
  private transient List<SignalRules> entries;
  private transient Map<String, SignalRules> rulesOf;
  private transient ValueState<MachineMonitor> monitor;
  private transient MapState<Long, List<Reading>> pending;
  private transient Counter found;
  private transient Counter late;

  /**
   * @param park whose {@code anomalies} entries say which rules judge which signals; null for the
   *     default rules everywhere
   */
  public AnomalyFunction(ParkSpec park) {
    this(park, SignalGate.SILENCE);
  }

  /**
   * @param silence after how long without a reading a signal's baseline is forgotten
   */
  public AnomalyFunction(ParkSpec park, Duration silence) {
    this.park = park;
    this.silenceMs = silence.toMillis();
  }

  @Override
  public void open(OpenContext context) {
    Park p = park == null ? null : park.park();
    kinds = new HashMap<>();
    placements = new HashMap<>();
    entries = p == null ? List.of() : p.anomalies();
    if (p != null) {
      for (MachinePlacement m : p.placements()) {
        kinds.put(m.machine().id(), m.machine().kind());
        placements.put(m.machine().id(), m);
      }
    }
    rulesOf = new HashMap<>();
    monitor =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("monitor", TypeInformation.of(MachineMonitor.class)));
    pending =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "pending", Types.LONG, Types.LIST(TypeInformation.of(Reading.class))));
    found = getRuntimeContext().getMetricGroup().counter("anomalies");
    late = getRuntimeContext().getMetricGroup().counter("lateForAnomalies");
  }

  @Override
  public void processElement(Reading r, Context ctx, Collector<Anomaly> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    long due = r.ts();
    if (r.ts() <= watermark) {
      late.inc();
      if (r.kind() != Reading.Kind.STATE) {
        return;
      }
      // A late state change still changes the state the signals are judged in, from now on: a
      // machine whose clock ran ahead for a while would otherwise be judged in a state it left.
      due = watermark + 1;
    }
    List<Reading> at = pending.get(due);
    if (at == null) {
      at = new ArrayList<>();
      ctx.timerService().registerEventTimeTimer(due);
    }
    at.add(r);
    pending.put(due, at);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
    List<Reading> at = pending.get(timestamp);
    pending.remove(timestamp);
    if (at == null) {
      return;
    }
    MachineMonitor m = monitor.value();
    if (m == null) {
      // Where the park file places the machine, never where a message says it is.
      Reading first = at.get(0);
      MachinePlacement placed = placements.get(first.machine());
      m =
          placed == null
              ? new MachineMonitor(first.factory(), first.line(), first.machine())
              : new MachineMonitor(placed.factory().id(), placed.line().id(), first.machine());
    }
    for (Reading r : at) {
      // (a late one older than the state the monitor knows is history already overtaken)
      if (r.kind() == Reading.Kind.STATE && r.ts() >= m.stateSince()) {
        m.state(r.ts(), r.state());
      }
    }
    for (Reading r : at) {
      if (r.isSignal() && r.quality() == Quality.GOOD) {
        SignalRules rules =
            rulesOf.computeIfAbsent(
                r.machine() + "/" + r.signal(),
                k -> SignalRules.of(entries, r.signal(), kinds.get(r.machine())));
        for (Anomaly a : m.signal(r.ts(), r.signal(), r.value(), rules)) {
          found.inc();
          out.collect(a);
        }
      }
    }
    for (Anomaly a : m.forgetSilentSignals(silenceMs)) {
      out.collect(a);
    }
    monitor.update(m);
  }
}
