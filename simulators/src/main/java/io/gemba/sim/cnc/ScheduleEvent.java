package io.gemba.sim.cnc;

import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.StopReason;

/**
 * Something the production schedule makes happen at {@code ts}: a state change or a finished part.
 */
public sealed interface ScheduleEvent {

  long ts();

  /**
   * The machine enters {@code state} at {@code ts}, for {@code reason}; the reason is null for
   * {@link MachineState#PRODUCING} and {@link MachineState#UNKNOWN}.
   */
  record StateEntered(long ts, MachineState state, StopReason reason) implements ScheduleEvent {

    /** A state entered with the reason it usually has. */
    public StateEntered(long ts, MachineState state) {
      this(ts, state, usualReason(state));
    }

    private static StopReason usualReason(MachineState state) {
      return switch (state) {
        case DOWN -> StopReason.BREAKDOWN;
        case SETUP -> StopReason.CHANGEOVER;
        case IDLE -> StopReason.WAITING;
        case PLANNED_STOP -> StopReason.PLANNED;
        case PRODUCING, UNKNOWN -> null;
      };
    }
  }

  /** A part is finished at {@code ts}; {@code good} says whether it passed inspection. */
  record PartFinished(long ts, boolean good) implements ScheduleEvent {}
}
