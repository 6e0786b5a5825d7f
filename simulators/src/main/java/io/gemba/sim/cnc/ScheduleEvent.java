package io.gemba.sim.cnc;

import io.gemba.model.asset.MachineState;

/**
 * Something the production schedule makes happen at {@code ts}: a state change or a finished part.
 */
public sealed interface ScheduleEvent {

  long ts();

  /** The machine enters {@code state} at {@code ts}. */
  record StateEntered(long ts, MachineState state) implements ScheduleEvent {}

  /** A part is finished at {@code ts}; {@code good} says whether it passed inspection. */
  record PartFinished(long ts, boolean good) implements ScheduleEvent {}
}
