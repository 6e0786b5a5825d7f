package io.gemba.jobs.functions;

import io.gemba.jobs.records.Reading;
import io.gemba.jobs.records.RejectedMessage;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Caps the signals of each machine (keyed by machine): the signals the park file names always pass;
 * other names pass while the machine has fewer than {@code limits.signalsPerMachine} in use, and
 * the rest are refused, so that no device can grow InfluxDB's series or the job's state without
 * bound. A name not seen for {@code silence} is forgotten (its place freed). Refused readings are
 * counted per machine (metric {@code refusedSignals}) and summed into one dead letter per machine
 * and {@value #REPORT_EVERY_MS} ms, naming a few of the refused names. State changes pass
 * unchanged.
 */
public final class SignalGate extends KeyedProcessFunction<String, Reading, Reading> {

  /** A signal's place is freed after this long without a reading, by default. */
  public static final Duration SILENCE = Duration.ofDays(1);

  /** Refusals of a machine are summed into one dead letter per this interval. */
  static final long REPORT_EVERY_MS = 10_000;

  /** Refused names shown in a dead letter at most. */
  static final int NAMES_SHOWN = 5;

  public static final OutputTag<RejectedMessage> REFUSED =
      new OutputTag<>("refused-signals", TypeInformation.of(RejectedMessage.class));

  private final ParkSpec park;
  private final Duration silence;
  private transient Map<String, Set<String>> declared;
  private transient Map<String, String> factoryOf;
  private transient Map<String, Counter> refusedOf;
  private transient int cap;
  private transient long ordinal;
  private transient MapState<String, Long> others;
  private transient ValueState<Integer> refusedCount;
  private transient ValueState<List<String>> refusedNames;

  public SignalGate(ParkSpec park, Duration silence) {
    this.park = park;
    this.silence = silence;
  }

  @Override
  public void open(OpenContext context) {
    declared = new HashMap<>();
    factoryOf = new HashMap<>();
    refusedOf = new HashMap<>();
    var p = park.park();
    cap = p.limits().signalsPerMachine();
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    for (MachinePlacement m : p.placements()) {
      Set<String> names = new HashSet<>();
      for (Signal s : m.machine().signals()) {
        names.add(s.name());
      }
      declared.put(m.machine().id(), names);
      factoryOf.put(m.machine().id(), m.factory().id());
      refusedOf.put(
          m.machine().id(),
          metrics.addGroup("machine", m.machine().id()).counter("refusedSignals"));
    }
    MapStateDescriptor<String, Long> othersState =
        new MapStateDescriptor<>("other-signals", Types.STRING, Types.LONG);
    othersState.enableTimeToLive(StateTtlConfig.newBuilder(silence).build());
    others = getRuntimeContext().getMapState(othersState);
    refusedCount =
        getRuntimeContext().getState(new ValueStateDescriptor<>("refused-count", Types.INT));
    refusedNames =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("refused-names", Types.LIST(Types.STRING)));
  }

  @Override
  public void processElement(Reading r, Context ctx, Collector<Reading> out) throws Exception {
    if (!r.isSignal()) {
      out.collect(r);
      return;
    }
    Set<String> known = declared.get(r.machine());
    if (known == null || known.contains(r.signal())) {
      out.collect(r);
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    Long seen = others.get(r.signal());
    if (seen != null) {
      // Refresh the time to live now and then, not at every reading.
      if (now - seen > silence.toMillis() / 8) {
        others.put(r.signal(), now);
      }
      out.collect(r);
      return;
    }
    int inUse = known.size();
    for (String ignored : others.keys()) {
      inUse++;
    }
    if (inUse < cap) {
      others.put(r.signal(), now);
      out.collect(r);
      return;
    }
    refuse(r, now, ctx);
  }

  private void refuse(Reading r, long now, Context ctx) throws Exception {
    refusedOf.get(r.machine()).inc();
    Integer count = refusedCount.value();
    List<String> names = refusedNames.value();
    if (count == null) {
      count = 0;
      names = new ArrayList<>();
      ctx.timerService().registerProcessingTimeTimer(now + REPORT_EVERY_MS);
    }
    if (names.size() < NAMES_SHOWN && !names.contains(r.signal())) {
      names.add(r.signal());
    }
    refusedCount.update(count + 1);
    refusedNames.update(names);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Reading> out) throws Exception {
    Integer count = refusedCount.value();
    if (count == null) {
      return;
    }
    String machine = ctx.getCurrentKey();
    ctx.output(
        REFUSED,
        new RejectedMessage(
            "machine " + machine,
            factoryOf.get(machine),
            timestamp,
            ordinal++,
            0,
            count,
            count
                + " signal readings refused: machine '"
                + machine
                + "' already sends "
                + cap
                + " signals (limits.signalsPerMachine in the park file); refused names include "
                + String.join(", ", refusedNames.value())));
    refusedCount.clear();
    refusedNames.clear();
  }
}
