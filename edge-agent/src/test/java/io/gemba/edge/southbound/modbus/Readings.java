package io.gemba.edge.southbound.modbus;

import io.gemba.edge.northbound.ReadingSink;
import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every reading a reader put out, in order, for a test to look at. */
final class Readings implements ReadingSink {

  private final List<SignalValue> signals = new ArrayList<>();
  private final List<StateChange> states = new ArrayList<>();
  private final List<CounterReading> counters = new ArrayList<>();

  @Override
  public synchronized void signal(MachineRef machine, SignalValue value) {
    signals.add(value);
  }

  @Override
  public synchronized void state(MachineRef machine, StateChange change) {
    states.add(change);
  }

  @Override
  public synchronized void counter(MachineRef machine, CounterReading reading) {
    counters.add(reading);
  }

  synchronized List<SignalValue> signals(String name) {
    return signals.stream().filter(s -> s.signal().equals(name)).toList();
  }

  synchronized Optional<SignalValue> last(String name) {
    List<SignalValue> of = signals(name);
    return of.isEmpty() ? Optional.empty() : Optional.of(of.get(of.size() - 1));
  }

  synchronized List<StateChange> states() {
    return new ArrayList<>(states);
  }

  synchronized List<CounterReading> counters() {
    return new ArrayList<>(counters);
  }
}
