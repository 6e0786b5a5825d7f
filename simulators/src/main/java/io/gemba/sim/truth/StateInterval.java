package io.gemba.sim.truth;

import io.gemba.model.asset.MachineState;

/** A machine was in {@code state} from {@code start} (inclusive) to {@code end} (exclusive). */
public record StateInterval(String machine, MachineState state, long start, long end) {}
