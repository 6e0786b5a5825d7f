package io.gemba.sim.truth;

import io.gemba.model.asset.MachineState;
import io.gemba.model.asset.StopReason;

/**
 * A machine was in {@code state} from {@code start} (inclusive) to {@code end} (exclusive), for
 * {@code reason} (null while producing).
 */
public record StateInterval(
    String machine, MachineState state, StopReason reason, long start, long end) {}
