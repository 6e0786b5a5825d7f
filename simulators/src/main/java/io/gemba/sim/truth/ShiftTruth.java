package io.gemba.sim.truth;

import io.gemba.model.oee.MachineOee;

/**
 * The true OEE of one machine over one shift occurrence: {@code oee} spans the whole shift, and
 * planned time before the simulation started counts as planned with an unknown state.
 *
 * @param shift the shift's name in the factory calendar ({@code day} without shifts)
 */
public record ShiftTruth(String shift, MachineOee oee) {}
