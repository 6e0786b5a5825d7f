package io.gemba.edge.southbound.opcua;

import io.gemba.edge.northbound.ReadingSink;
import io.gemba.edge.southbound.StateTracker;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;
import io.gemba.model.envelope.Counter;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.Quality;
import io.gemba.model.envelope.SignalValue;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a machine's OPC UA data values into readings: signals with the server's source timestamp
 * and the status code's quality (repeats and values within the deadband dropped), states through
 * the configured code map with the stop reason last read, counters with their modulus.
 */
final class MachineValues {

  private static final Logger log = LoggerFactory.getLogger(MachineValues.class);

  private final MachineRef machine;
  private final OpcUaSource source;
  private final ReadingSink sink;
  private final Runnable rejected;
  private final Map<String, SignalFilter> filters = new ConcurrentHashMap<>();
  private final StateTracker states = new StateTracker();
  private volatile long lastValueAt;

  MachineValues(MachineRef machine, OpcUaSource source, ReadingSink sink, Runnable rejected) {
    this.machine = machine;
    this.source = source;
    this.sink = sink;
    this.rejected = rejected;
  }

  /**
   * Runs one value's conversion; a value no envelope may carry is skipped and counted instead of
   * leaving through the OPC UA client's callback with the rest of its notification.
   */
  private void guarded(String node, Runnable read) {
    try {
      read.run();
    } catch (InvalidFieldException e) {
      rejected.run();
      log.warn(
          "opcua value rejected machine={} node={} reason={}",
          machine.id(),
          node,
          Names.shown(e.getMessage(), 200));
    }
  }

  /** Keeps the signal's filter across reconnections, creating it on first sight. */
  void track(SignalNode signal) {
    filters.computeIfAbsent(signal.name(), n -> new SignalFilter(signal.deadband()));
  }

  /** Seconds since the last data change arrived; NaN before the first. */
  double lastValueAgeSeconds() {
    long at = lastValueAt;
    return at == 0 ? Double.NaN : (System.currentTimeMillis() - at) / 1000.0;
  }

  void signal(String name, DataValue value) {
    guarded(name, () -> readSignal(name, value));
  }

  private void readSignal(String name, DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    Number number = DataValues.number(value);
    Quality quality = DataValues.quality(value);
    boolean usable = number != null && Double.isFinite(number.doubleValue());
    double v = usable ? number.doubleValue() : Double.NaN;
    Quality q = usable ? quality : Quality.BAD;
    if (filters.get(name).accept(v, q)) {
      sink.signal(machine, new SignalValue(name, ts, v, q));
    }
  }

  void state(DataValue value) {
    guarded("state", () -> readState(value));
  }

  private void readState(DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    Number code = DataValues.number(value);
    Quality quality = DataValues.quality(value);
    if (code == null) {
      sink.state(machine, states.state(ts, MachineState.UNKNOWN, Quality.BAD));
    } else {
      sink.state(machine, states.state(ts, source.state().stateOf(code.intValue()), quality));
    }
  }

  /** A new stop reason is sent with the current state; a bad reading clears the reason. */
  void reason(DataValue value) {
    guarded("state.reason", () -> readReason(value));
  }

  private void readReason(DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    String text = DataValues.quality(value) == Quality.BAD ? null : DataValues.text(value);
    states.reason(ts, text).ifPresent(change -> sink.state(machine, change));
  }

  void counter(Counter counter, DataValue value) {
    guarded(counter.name().toLowerCase(Locale.ROOT), () -> readCounter(counter, value));
  }

  private void readCounter(Counter counter, DataValue value) {
    lastValueAt = System.currentTimeMillis();
    long[] count = DataValues.counter(value);
    Quality quality = DataValues.quality(value);
    if (count == null || quality == Quality.BAD) {
      // A counter without a usable value says nothing about parts; the next good reading does.
      log.debug("opcua counter without value machine={} counter={}", machine.id(), counter);
      return;
    }
    Long configured = source.counters().rollover();
    long modulus = configured != null ? configured : count[1];
    long ts = DataValues.timestamp(value, System.currentTimeMillis());
    sink.counter(
        machine,
        new CounterReading(
            counter, ts, count[0], quality, modulus > count[0] ? Long.valueOf(modulus) : null));
  }
}
