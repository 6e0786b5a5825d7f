package io.gemba.sim.truth;

import io.gemba.model.oee.MachineOee;
import java.util.function.Consumer;

/**
 * Receives the ground truth of a simulation: every closed OEE minute, and for sinks that keep them,
 * every closed state interval, every injected fault and every closed shift.
 */
public interface TruthSink extends Consumer<MachineOee> {

  default void stateInterval(StateInterval interval) {}

  default void fault(InjectedFault fault) {}

  default void shift(ShiftTruth shift) {}

  /** How many signal values a machine's OPC UA server exposed in one minute of source time. */
  default void exposedValues(ExposedValues.Minute minute) {}
}
