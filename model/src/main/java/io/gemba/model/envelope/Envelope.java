package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;
import java.util.List;

/**
 * Telemetry envelope: what a gateway sends for one machine. It carries the gateway's session and
 * sequence number so that consumers can detect gaps end to end, and tell a restart from a loss, at
 * any rate; and for every reading its source timestamp and quality. Machine state changes and part
 * counters travel in the same envelope as signal values.
 *
 * <p>Version {@value #VERSION} adds {@code session}; version 1 envelopes (without it, numbered from
 * the agent's start time) are still read.
 *
 * @param v the envelope version, 1 or {@value #VERSION}
 * @param gateway id of the sending gateway
 * @param session the gateway's session: a number that grows with every start of the gateway;
 *     required from version 2 on, absent in version 1
 * @param seq sequence number within the session (per gateway in version 1), one more for every
 *     envelope
 * @param sentAt when the gateway built the envelope, epoch milliseconds
 */
public record Envelope(
    @JsonProperty(required = true) int v,
    @JsonProperty(required = true) String gateway,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long session,
    @JsonProperty(required = true) long seq,
    @JsonProperty(required = true) long sentAt,
    @JsonProperty(required = true) MachineRef machine,
    List<SignalValue> values,
    List<StateChange> states,
    List<CounterReading> counters) {

  /** The version this code writes. */
  public static final int VERSION = 2;

  /** The version without sessions, still read. */
  public static final int VERSION_1 = 1;

  /**
   * The latest source timestamp the envelope can carry at all (9999-12-31T23:59:59.999Z), the end
   * of ISO-8601's four-digit years; the KPI job bounds timestamps far closer to its own clock.
   */
  public static final long MAX_TS = 253_402_300_799_999L;

  public Envelope {
    if (v != VERSION && v != VERSION_1) {
      throw new InvalidFieldException(
          "v", "expected envelope version " + VERSION_1 + " or " + VERSION + ", got " + v);
    }
    Names.requireId("gateway", gateway);
    if (v == VERSION && (session == null || session < 0)) {
      throw new InvalidFieldException(
          "session", "expected the gateway's session number (zero or more) in version " + v);
    }
    if (v == VERSION_1 && session != null) {
      throw new InvalidFieldException("session", "not part of envelope version 1");
    }
    if (seq < 0) {
      throw new InvalidFieldException("seq", "expected a sequence number of zero or more");
    }
    requireTimestamp("sentAt", sentAt);
    if (machine == null) {
      throw new InvalidFieldException("machine", "expected {factory, line, id}");
    }
    values = values == null ? List.of() : List.copyOf(values);
    states = states == null ? List.of() : List.copyOf(states);
    counters = counters == null ? List.of() : List.copyOf(counters);
  }

  /** A version-{@value #VERSION} envelope. */
  public Envelope(
      String gateway,
      long session,
      long seq,
      long sentAt,
      MachineRef machine,
      List<SignalValue> values,
      List<StateChange> states,
      List<CounterReading> counters) {
    this(VERSION, gateway, session, seq, sentAt, machine, values, states, counters);
  }

  /** Fails naming {@code field} unless {@code ts} is epoch milliseconds between 1970 and 9999. */
  static long requireTimestamp(String field, long ts) {
    if (ts < 0 || ts > MAX_TS) {
      throw new InvalidFieldException(
          field, "expected epoch milliseconds between 1970 and 9999, got " + ts);
    }
    return ts;
  }

  /** Number of readings of any kind in this envelope. */
  public int size() {
    return values.size() + states.size() + counters.size();
  }
}
