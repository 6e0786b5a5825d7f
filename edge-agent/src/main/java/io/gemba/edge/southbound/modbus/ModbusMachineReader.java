package io.gemba.edge.southbound.modbus;

import io.gemba.edge.metrics.EdgeMetrics;
import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.MachineReader;
import io.gemba.edge.southbound.StateTracker;
import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a machine over Modbus TCP. Each polling group is read at its own interval by requests sent
 * without waiting: the one poller thread of all Modbus machines only starts them, and a device that
 * does not answer costs its own requests their timeout, never another device a delay. A group whose
 * previous poll has not finished skips its turn (counted as an overrun). Failed requests are
 * counted by reason; the connection is re-established by the client in the background, with growing
 * waits between attempts.
 *
 * <p>Values are dated by the device's clock register when the gateway file names one, otherwise by
 * the time the poll started; a state or count is dated by the device's time of that change when its
 * {@code since} register is named. Signals, states and counters are sent when they change.
 */
public final class ModbusMachineReader implements MachineReader {

  private static final Logger log = LoggerFactory.getLogger(ModbusMachineReader.class);

  private final MachineRef machine;
  private final ModbusSource source;
  private final ReadingSink sink;
  private final EdgeMetrics metrics;
  private final ModbusConnection connection;
  private final List<Group> groups = new ArrayList<>();
  private final StateTracker states = new StateTracker();
  private final Map<String, Double> lastSignal = new HashMap<>();
  private final LongAdder decodeFailures = new LongAdder();
  private boolean polling;
  private Long lastStateSince;
  private Long lastTotal;
  private Long lastQuality;
  private volatile long lastValueAt;
  private volatile boolean lastPollOk;
  private volatile boolean failing;

  /** The points one group reads, planned into requests. */
  private static final class Group {
    final String name;
    final int intervalMs;
    final Map<ModbusSignal, ModbusPoint> signals = new LinkedHashMap<>();
    final List<ModbusPoint> points = new ArrayList<>();
    boolean state;
    boolean counters;
    ReadPlan plan;

    Group(String name, int intervalMs) {
      this.name = name;
      this.intervalMs = intervalMs;
    }

    void add(ModbusPoint point) {
      if (point != null) {
        points.add(point);
      }
    }
  }

  /** The points of state and counters, made once so that plans find them by identity. */
  private final ModbusPoint clock;

  private final ModbusPoint statePoint;
  private final List<ModbusPoint> stateBits = new ArrayList<>();
  private final ModbusPoint reasonPoint;
  private final ModbusPoint stateSince;
  private final ModbusPoint totalPoint;
  private final ModbusPoint qualityPoint;
  private final ModbusPoint countSince;

  public ModbusMachineReader(
      MachineRef machine, ModbusSource source, ReadingSink sink, EdgeMetrics metrics) {
    this.machine = machine;
    this.source = source;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = source.clock();
    ModbusState state = source.state();
    this.statePoint = state == null ? null : state.point();
    if (state != null) {
      state.bits().forEach(b -> stateBits.add(b.point()));
    }
    this.reasonPoint = state == null ? null : state.reason();
    this.stateSince = state == null ? null : state.since();
    ModbusCounters counters = source.counters();
    this.totalPoint = counters == null ? null : counters.total();
    this.qualityPoint = counters == null ? null : counters.quality();
    this.countSince = counters == null ? null : counters.since();

    Map<String, Group> byName = new LinkedHashMap<>();
    source.intervals().forEach((name, ms) -> byName.put(name, new Group(name, ms)));
    for (ModbusSignal s : source.signals()) {
      Group g = byName.get(ModbusSource.groupOf(s.group()));
      ModbusPoint p = s.point();
      g.signals.put(s, p);
      g.add(p);
    }
    if (state != null) {
      Group g = byName.get(ModbusSource.groupOf(state.group()));
      g.state = true;
      g.add(statePoint);
      stateBits.forEach(g::add);
      g.add(reasonPoint);
      g.add(stateSince);
    }
    if (counters != null) {
      Group g = byName.get(ModbusSource.groupOf(counters.group()));
      g.counters = true;
      g.add(totalPoint);
      g.add(qualityPoint);
      g.add(countSince);
    }
    for (Group g : byName.values()) {
      if (g.points.isEmpty()) {
        continue; // a group nothing is read in, e.g. the default one when all points have groups
      }
      g.add(clock);
      g.plan = new ReadPlan(g.points, source.maxGap());
      groups.add(g);
    }

    this.connection = new ModbusConnection(machine.id(), source, metrics);
    metrics.counter(
        "gemba.edge.modbus.decode.failures",
        "Modbus values that could not be read as their type says (not a number, out of range)",
        decodeFailures::sum,
        "machine",
        machine.id());
  }

  @Override
  public synchronized void start() {
    if (polling) {
      return;
    }
    polling = true;
    connection.connect();
    for (Group g : groups) {
      connection.poll(g.plan, g.intervalMs, (data, at, failure) -> received(g, data, at, failure));
    }
    log.info(
        "modbus machine read machine={} endpoint={} unit={} groups={}",
        machine.id(),
        source.endpoint(),
        source.unitId(),
        groups.stream()
            .map(g -> g.name + "/" + g.intervalMs + "ms/" + g.plan.requests().size())
            .toList());
  }

  private synchronized void received(
      Group g, Map<ReadPlan.Request, byte[]> data, long started, Throwable failure) {
    if (failure != null && !failing) {
      failing = true;
      log.warn(
          "modbus poll failed machine={} group={} reason={} (logged once until it recovers)",
          machine.id(),
          g.name,
          ModbusConnection.reasonOf(failure));
    } else if (failure == null && failing) {
      failing = false;
      log.info("modbus poll recovered machine={} group={}", machine.id(), g.name);
    }
    lastPollOk = failure == null;
    if (data.isEmpty()) {
      return;
    }
    lastValueAt = System.currentTimeMillis();
    long ts = started;
    if (clock != null) {
      Long device = whole(g, data, clock);
      if (device == null) {
        return; // nothing can be dated: counted as a failed request or a decode failure
      }
      ts = Clocks.millis(clock, device);
    }
    for (Map.Entry<ModbusSignal, ModbusPoint> s : g.signals.entrySet()) {
      signal(g, data, s.getKey(), s.getValue(), ts);
    }
    if (g.state) {
      state(g, data, ts);
    }
    if (g.counters) {
      counters(g, data, ts);
    }
  }

  private void signal(
      Group g, Map<ReadPlan.Request, byte[]> data, ModbusSignal s, ModbusPoint p, long ts) {
    ReadPlan.Request r = g.plan.requestOf(p);
    byte[] d = data.get(r);
    if (d == null) {
      return;
    }
    double v = p.decode(d, r.start());
    Double last = lastSignal.get(s.name());
    if (!Double.isFinite(v)) {
      decodeFailed(p, "not a finite number");
      if (last == null || !last.isNaN()) {
        lastSignal.put(s.name(), Double.NaN);
        sink.signal(machine, new SignalValue(s.name(), ts, Double.NaN, Quality.BAD));
      }
      return;
    }
    if (last != null && !last.isNaN()) {
      double change = Math.abs(v - last);
      if (change == 0 || change <= s.deadband()) {
        return;
      }
    }
    lastSignal.put(s.name(), v);
    sink.signal(machine, new SignalValue(s.name(), ts, v, Quality.GOOD));
  }

  private void state(Group g, Map<ReadPlan.Request, byte[]> data, long ts) {
    ModbusState config = source.state();
    MachineState state;
    if (statePoint != null) {
      if (data.get(g.plan.requestOf(statePoint)) == null) {
        return;
      }
      Long code = whole(g, data, statePoint);
      state = code == null ? MachineState.UNKNOWN : config.stateOf(code);
    } else {
      state = config.otherwise();
      for (int i = stateBits.size() - 1; i >= 0; i--) {
        ModbusPoint bit = stateBits.get(i);
        ReadPlan.Request r = g.plan.requestOf(bit);
        byte[] d = data.get(r);
        if (d == null) {
          return;
        }
        if (bit.decode(d, r.start()) != 0) {
          state = config.bits().get(i).state();
        }
      }
    }
    String reason = null;
    if (reasonPoint != null && data.get(g.plan.requestOf(reasonPoint)) != null) {
      Long code = whole(g, data, reasonPoint);
      reason = code == null ? null : Objects.requireNonNullElse(config.reasonOf(code), "");
    }
    long at = ts;
    boolean sinceChanged = false;
    if (stateSince != null) {
      Long since = whole(g, data, stateSince);
      if (since == null) {
        return;
      }
      at = Clocks.millis(stateSince, since);
      sinceChanged = lastStateSince != null && at != lastStateSince;
      lastStateSince = at;
    }
    Optional<StateChange> change = states.both(at, state, Quality.GOOD, reason);
    if (change.isPresent()) {
      sink.state(machine, change.get());
    } else if (sinceChanged) {
      // The same state again, entered anew: a stop and restart between two polls.
      sink.state(machine, states.state(at, state, Quality.GOOD));
    }
  }

  private void counters(Group g, Map<ReadPlan.Request, byte[]> data, long ts) {
    ModbusCounters config = source.counters();
    long at = ts;
    if (countSince != null) {
      Long since = whole(g, data, countSince);
      if (since == null) {
        return;
      }
      at = Clocks.millis(countSince, since);
    }
    Long total = whole(g, data, totalPoint);
    if (total != null && !total.equals(lastTotal)) {
      lastTotal = total;
      sink.counter(
          machine,
          new CounterReading(
              Counter.TOTAL, at, total, Quality.GOOD, modulus(config, totalPoint, total)));
    }
    Long quality = whole(g, data, qualityPoint);
    if (quality != null && !quality.equals(lastQuality)) {
      lastQuality = quality;
      sink.counter(
          machine,
          new CounterReading(
              config.qualityCounter(),
              at,
              quality,
              Quality.GOOD,
              modulus(config, qualityPoint, quality)));
    }
  }

  private static Long modulus(ModbusCounters config, ModbusPoint point, long value) {
    Long m = config.modulusOf(point);
    return m != null && m > value ? m : null;
  }

  /** The whole number at {@code p}, or null when its request failed or it does not fit. */
  private Long whole(Group g, Map<ReadPlan.Request, byte[]> data, ModbusPoint p) {
    ReadPlan.Request r = g.plan.requestOf(p);
    byte[] d = data.get(r);
    if (d == null) {
      return null;
    }
    Long v = p.whole(d, r.start());
    if (v == null) {
      decodeFailed(p, "not a whole number of zero or more that fits 63 bits");
    }
    return v;
  }

  private void decodeFailed(ModbusPoint p, String why) {
    decodeFailures.increment();
    metrics.southboundRejected();
    if (decodeFailures.sum() % 100 == 1) {
      log.warn(
          "modbus value not readable machine={} point={} reason={} (every 100th is logged)",
          machine.id(),
          p,
          why);
    }
  }

  @Override
  public String machineId() {
    return machine.id();
  }

  @Override
  public boolean isConnected() {
    return connection.isConnected() && lastPollOk;
  }

  @Override
  public double lastValueAgeSeconds() {
    long at = lastValueAt;
    return at == 0 ? Double.NaN : (System.currentTimeMillis() - at) / 1000.0;
  }

  /** Every point is polled: Modbus has no subscriptions. */
  @Override
  public int polledNodes() {
    return groups.stream().mapToInt(g -> g.points.size()).sum();
  }

  /** Counts for tests and the health page: requests sent and those that failed. */
  public long requestsSent() {
    return connection.requestsSent();
  }

  public long decodeFailures() {
    return decodeFailures.sum();
  }

  @Override
  public void close() {
    connection.close();
  }
}
