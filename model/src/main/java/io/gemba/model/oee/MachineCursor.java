package io.gemba.model.oee;

import io.gemba.model.asset.MachineState;

/**
 * What OEE accounting carries from one window to the next for a machine: its current state, the
 * last counter readings, and from when on everything was known.
 *
 * @param lastGood the last reading of the quality counter: good parts, or rejected parts when
 *     {@code rejectCounter}
 * @param rejectCounter the machine reports rejects instead of good parts
 * @param knownFrom the first instant at which the state and both counters had been read; {@link
 *     Long#MAX_VALUE} until then. Time before it is not known time, and counter readings before it
 *     only set baselines, because a first reading says nothing about the parts before it.
 */
public record MachineCursor(
    MachineState state,
    boolean stateSeen,
    boolean totalSeen,
    long lastTotal,
    boolean goodSeen,
    long lastGood,
    boolean rejectCounter,
    long knownFrom) {

  public static MachineCursor initial() {
    return new MachineCursor(
        MachineState.UNKNOWN, false, false, 0, false, 0, false, Long.MAX_VALUE);
  }
}
