package io.gemba.jobs.functions;

import io.gemba.jobs.records.OeeMinute;
import io.gemba.jobs.records.Reading;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.oee.MachineCursor;
import io.gemba.model.oee.MachineEvent;
import io.gemba.model.oee.OeeSettings;
import io.gemba.model.oee.WindowAccounting;
import java.time.Duration;
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
 * <p>Closed minutes keep their observations and the cursor they started from for the allowed
 * lateness (an hour by default: an edge outage drained from store-and-forward). An observation for
 * a closed minute within that bound is added to its minute, and that minute and every later closed
 * one are computed again and emitted again, overwriting what was stored. An observation older than
 * the bound is counted ({@code lateObservationsDropped}) and not applied.
 *
 * <p>Whether a stop is a small stop (shorter than the park's micro-stop limit) is known only when
 * it ends, so a minute closes once the watermark is that limit past its end, with the observations
 * up to then in view. A late state reading also corrects the closed minutes whose stops it ends.
 */
public final class MachineOeeFunction extends KeyedProcessFunction<String, Reading, OeeMinute> {

  static final long MINUTE = 60_000;

  /** How late an observation may be by default and still correct its minute. */
  public static final Duration ALLOWED_LATENESS = Duration.ofHours(1);

  private final ParkSpec park;
  private final long lateMinutes;
  private transient Map<String, MachinePlacement> placements;
  private transient OeeSettings settings;
  private transient long lookaheadMs;
  private transient ValueState<MachineCursor> cursor;
  private transient ValueState<Long> nextMinute;
  private transient MapState<Long, List<Reading>> pending;
  private transient MapState<Long, MachineCursor> cursorAtStart;
  private transient MapState<Long, List<String>> emittedReasons;
  private transient Counter lateDropped;
  private transient Counter lateApplied;
  private transient Counter recomputed;

  public MachineOeeFunction(ParkSpec park) {
    this(park, ALLOWED_LATENESS);
  }

  /**
   * @param allowedLateness how long after its minute closed an observation still corrects it
   */
  public MachineOeeFunction(ParkSpec park, Duration allowedLateness) {
    this.park = park;
    this.lateMinutes = Math.max(0, allowedLateness.toMillis() / MINUTE);
  }

  @Override
  public void open(OpenContext context) {
    Park parsed = park.park();
    placements =
        parsed.placements().stream().collect(Collectors.toMap(p -> p.machine().id(), p -> p));
    settings = parsed.oee();
    lookaheadMs = settings.microStopMs();
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
    cursorAtStart =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "cursorAtStart", Types.LONG, TypeInformation.of(MachineCursor.class)));
    emittedReasons =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>("emittedReasons", Types.LONG, Types.LIST(Types.STRING)));
    var metrics = getRuntimeContext().getMetricGroup();
    lateDropped = metrics.counter("lateObservationsDropped");
    lateApplied = metrics.counter("lateObservationsApplied");
    recomputed = metrics.counter("minutesRecomputed");
  }

  @Override
  public void processElement(Reading o, Context ctx, Collector<OeeMinute> out) throws Exception {
    long minute = minuteOf(o.ts());
    Long next = nextMinute.value();
    if (next == null || (minute < next && cursor.value() == null)) {
      // Before the first minute closes, a first reading may be older than the others (a counter
      // that last changed long ago): start accounting at the oldest minute seen.
      next = minute;
      nextMinute.update(next);
      ctx.timerService().registerEventTimeTimer(closeTime(next));
    }
    if (minute < next && !cursorAtStart.contains(minute)) {
      lateDropped.inc();
      return;
    }
    List<Reading> list = pending.get(minute);
    if (list == null) {
      list = new ArrayList<>();
    }
    list.add(o);
    pending.put(minute, list);
    // A state reading may end a stop that closed minutes before it looked ahead to.
    long from = o.kind() == Reading.Kind.STATE ? minuteOf(o.ts() - lookaheadMs) : minute;
    while (from < Math.min(minute, next) && !cursorAtStart.contains(from)) {
      from += MINUTE;
    }
    if (from < next) {
      lateApplied.inc();
      recompute(from, next, ctx.getCurrentKey(), out);
    }
  }

  private static long minuteOf(long ts) {
    return ts - Math.floorMod(ts, MINUTE);
  }

  /** When the minute starting at {@code start} closes: once its stops can be classified. */
  private long closeTime(long start) {
    return start + MINUTE - 1 + lookaheadMs;
  }

  /**
   * Closes the minutes from {@code from} up to {@code next} again, from the cursor of the first.
   */
  private void recompute(long from, long next, String machine, Collector<OeeMinute> out)
      throws Exception {
    MachineCursor current = cursorAtStart.get(from);
    for (long start = from; start < next; start += MINUTE) {
      current = close(machine, current, start, out);
      recomputed.inc();
    }
    cursor.update(current);
  }

  /** Closes one minute from {@code current}, emits it when known, and returns the next cursor. */
  private MachineCursor close(
      String machine, MachineCursor current, long start, Collector<OeeMinute> out)
      throws Exception {
    MachinePlacement placement = placements.get(machine);
    List<MachineEvent> events = events(start);
    List<MachineEvent> lookahead = new ArrayList<>();
    for (long m = start + MINUTE; m <= start + MINUTE + lookaheadMs; m += MINUTE) {
      lookahead.addAll(events(m));
    }
    cursorAtStart.put(start, current);
    WindowAccounting.Closed closed =
        WindowAccounting.close(
            machine,
            current,
            events,
            lookahead,
            start,
            start + MINUTE,
            placement.factory().calendar(),
            placement.machine().idealCycleMs(),
            settings);
    if (closed.next().knownFrom() < start + MINUTE) {
      OeeMinute minute =
          OeeMinute.of(placement.factory().id(), placement.line().id(), closed.oee());
      // A reason a correction removed is sent as 0 ms, so that it overwrites the stored one.
      List<String> before = emittedReasons.get(start);
      if (before != null) {
        before.forEach(reason -> minute.stopReasons().putIfAbsent(reason, 0L));
      }
      if (!minute.stopReasons().isEmpty()) {
        emittedReasons.put(start, new ArrayList<>(minute.stopReasons().keySet()));
      }
      out.collect(minute);
    }
    return closed.next();
  }

  /** The observations of the minute starting at {@code start}, in time order. */
  private List<MachineEvent> events(long start) throws Exception {
    List<Reading> observations = pending.get(start);
    return observations == null
        ? List.of()
        : observations.stream()
            .sorted(Comparator.comparingLong(Reading::ts))
            .map(Reading::toEvent)
            .toList();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OeeMinute> out)
      throws Exception {
    long start = timestamp + 1 - MINUTE - lookaheadMs;
    Long next = nextMinute.value();
    if (next == null || start != next) {
      return;
    }
    MachineCursor current = cursor.value() == null ? MachineCursor.initial() : cursor.value();
    cursor.update(close(ctx.getCurrentKey(), current, start, out));
    nextMinute.update(start + MINUTE);
    ctx.timerService().registerEventTimeTimer(closeTime(start + MINUTE));
    // What falls out of the lateness bound now is forgotten.
    long expired = start - lateMinutes * MINUTE;
    pending.remove(expired);
    cursorAtStart.remove(expired);
    emittedReasons.remove(expired);
  }
}
