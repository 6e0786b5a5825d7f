package io.gemba.model.oee;

import io.gemba.model.asset.MachineState;

/**
 * What OEE accounting carries from one window to the next for a machine: its current state and stop
 * reason, the last counter readings, and from when on everything was known.
 *
 * @param reason the stop reason read with the current state, or null
 * @param lastGood the last reading of the quality counter: good parts, or rejected parts when
 *     {@code rejectCounter}
 * @param rejectCounter the machine reports rejects instead of good parts
 * @param knownFrom the first instant at which the state and both counters had been read; {@link
 *     Long#MAX_VALUE} until then. Time before it is not known time, and counter readings before it
 *     only set baselines, because a first reading says nothing about the parts before it.
 * @param stopSince when the current run of idle and down states began (a stop that changes between
 *     idle and down, or changes its reason, is one stop); meaningless in other states
 * @param setupEndedAt when the machine last left setup; {@link Long#MIN_VALUE} if never seen
 */
public record MachineCursor(
    MachineState state,
    String reason,
    boolean stateSeen,
    boolean totalSeen,
    long lastTotal,
    boolean goodSeen,
    long lastGood,
    boolean rejectCounter,
    long knownFrom,
    long stopSince,
    long setupEndedAt) {

  public static MachineCursor initial() {
    return new MachineCursor(
        MachineState.UNKNOWN,
        null,
        false,
        false,
        0,
        false,
        0,
        false,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MIN_VALUE);
  }

  /** Idle and down are unplanned stops; a small stop is a short run of them. */
  public static boolean isStop(MachineState state) {
    return state == MachineState.IDLE || state == MachineState.DOWN;
  }

  MachineCursor withState(long ts, MachineState next, String nextReason) {
    long since = isStop(next) && isStop(state) ? stopSince : ts;
    long setupEnd = state == MachineState.SETUP && next != MachineState.SETUP ? ts : setupEndedAt;
    return new MachineCursor(
        next,
        nextReason,
        true,
        totalSeen,
        lastTotal,
        goodSeen,
        lastGood,
        rejectCounter,
        knownFrom,
        since,
        setupEnd);
  }

  MachineCursor withTotal(long value) {
    return new MachineCursor(
        state,
        reason,
        stateSeen,
        true,
        value,
        goodSeen,
        lastGood,
        rejectCounter,
        knownFrom,
        stopSince,
        setupEndedAt);
  }

  MachineCursor withGood(long value, boolean rejects) {
    return new MachineCursor(
        state,
        reason,
        stateSeen,
        totalSeen,
        lastTotal,
        true,
        value,
        rejects,
        knownFrom,
        stopSince,
        setupEndedAt);
  }

  MachineCursor knownFrom(long ts) {
    return new MachineCursor(
        state,
        reason,
        stateSeen,
        totalSeen,
        lastTotal,
        goodSeen,
        lastGood,
        rejectCounter,
        ts,
        stopSince,
        setupEndedAt);
  }
}
