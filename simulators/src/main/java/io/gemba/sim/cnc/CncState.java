package io.gemba.sim.cnc;

import io.gemba.model.asset.MachineState;

/**
 * The machine-state codes the simulated CNC controller shows on its {@code Machine.State} node, as
 * many controllers expose an integer mode rather than a text.
 */
public final class CncState {

  private CncState() {}

  public static int code(MachineState state) {
    return switch (state) {
      case PRODUCING -> 1;
      case IDLE -> 2;
      case DOWN -> 3;
      case SETUP -> 4;
      case PLANNED_STOP -> 5;
      case UNKNOWN -> 0;
    };
  }
}
