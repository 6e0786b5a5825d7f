package io.gemba.jobs.records;

import io.gemba.model.asset.MachineState;
import io.gemba.model.envelope.Quality;
import io.gemba.model.oee.MachineEvent;

/**
 * One reading of one machine, flattened from an envelope: a signal value, a state, or a counter.
 * All kinds travel in one stream so that every reading, not only state and counter changes,
 * advances event time.
 *
 * @param signal the signal name, for {@link Kind#SIGNAL}; otherwise null
 * @param value the signal value, for {@link Kind#SIGNAL}
 * @param state the machine state, for {@link Kind#STATE}
 * @param count the cumulative counter value, for {@link Kind#TOTAL}, {@link Kind#GOOD} and {@link
 *     Kind#REJECT}
 * @param rollover the counter's modulus if it wraps, else 0
 * @param reason the stop reason read with a {@link Kind#STATE}, or null
 */
public record Reading(
    String factory,
    String line,
    String machine,
    long ts,
    Kind kind,
    String signal,
    double value,
    MachineState state,
    long count,
    long rollover,
    Quality quality,
    String reason) {

  /** What a reading is of. */
  public enum Kind {
    SIGNAL,
    STATE,
    TOTAL,
    GOOD,
    REJECT
  }

  public boolean isSignal() {
    return kind == Kind.SIGNAL;
  }

  /** The reading as OEE accounting consumes it; not defined for signals. */
  public MachineEvent toEvent() {
    return switch (kind) {
      case STATE -> MachineEvent.state(ts, state, reason);
      case TOTAL -> MachineEvent.counter(MachineEvent.Kind.TOTAL, ts, count, rollover);
      case GOOD -> MachineEvent.counter(MachineEvent.Kind.GOOD, ts, count, rollover);
      case REJECT -> MachineEvent.counter(MachineEvent.Kind.REJECT, ts, count, rollover);
      case SIGNAL -> throw new IllegalStateException("a signal reading is not an OEE event");
    };
  }
}
