package io.gemba.model.oee;

import io.gemba.model.asset.MachineState;

/**
 * One observation that OEE accounting consumes: a state reading or a cumulative counter reading, at
 * its source timestamp.
 *
 * @param state the new state, for {@link Kind#STATE}; otherwise null
 * @param value the cumulative counter value, for {@link Kind#TOTAL}, {@link Kind#GOOD} and {@link
 *     Kind#REJECT}
 * @param rollover the counter's modulus if it wraps, else 0
 * @param reason the stop reason read with a {@link Kind#STATE} reading, or null
 */
public record MachineEvent(
    long ts, Kind kind, MachineState state, long value, long rollover, String reason) {

  /** What the observation is of. */
  public enum Kind {
    STATE,
    TOTAL,
    GOOD,
    REJECT
  }

  public static MachineEvent state(long ts, MachineState state) {
    return new MachineEvent(ts, Kind.STATE, state, 0, 0, null);
  }

  /** A state reading with the reason the machine gave for it. */
  public static MachineEvent state(long ts, MachineState state, String reason) {
    return new MachineEvent(ts, Kind.STATE, state, 0, 0, reason);
  }

  public static MachineEvent total(long ts, long value) {
    return new MachineEvent(ts, Kind.TOTAL, null, value, 0, null);
  }

  public static MachineEvent good(long ts, long value) {
    return new MachineEvent(ts, Kind.GOOD, null, value, 0, null);
  }

  /** A counter reading of a counter that wraps at {@code rollover}. */
  public static MachineEvent counter(Kind kind, long ts, long value, long rollover) {
    return new MachineEvent(ts, kind, null, value, rollover, null);
  }
}
