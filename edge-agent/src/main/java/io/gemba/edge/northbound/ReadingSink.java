package io.gemba.edge.northbound;

import io.gemba.model.envelope.CounterReading;
import io.gemba.model.envelope.MachineRef;
import io.gemba.model.envelope.SignalValue;
import io.gemba.model.envelope.StateChange;

/** Where southbound sources put what they read; implementations must be thread-safe. */
public interface ReadingSink {

  void signal(MachineRef machine, SignalValue value);

  void state(MachineRef machine, StateChange change);

  void counter(MachineRef machine, CounterReading reading);
}
