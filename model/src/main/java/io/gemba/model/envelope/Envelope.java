package io.gemba.model.envelope;

import static io.gemba.model.config.InvalidFieldException.requireText;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gemba.model.config.InvalidFieldException;
import java.util.List;

/**
 * Telemetry envelope, version 1: what a gateway sends for one machine. It carries the gateway's
 * sequence number so that consumers can detect gaps end to end, and for every reading its source
 * timestamp and quality. Machine state changes and part counters travel in the same envelope as
 * signal values.
 *
 * @param v the envelope version, {@value #VERSION}
 * @param gateway id of the sending gateway
 * @param seq per-gateway sequence number, incremented by one for every envelope
 * @param sentAt when the gateway built the envelope, epoch milliseconds
 */
public record Envelope(
    @JsonProperty(required = true) int v,
    @JsonProperty(required = true) String gateway,
    @JsonProperty(required = true) long seq,
    @JsonProperty(required = true) long sentAt,
    @JsonProperty(required = true) MachineRef machine,
    List<SignalValue> values,
    List<StateChange> states,
    List<CounterReading> counters) {

  public static final int VERSION = 1;

  public Envelope {
    if (v != VERSION) {
      throw new InvalidFieldException("v", "expected envelope version " + VERSION + ", got " + v);
    }
    requireText("gateway", gateway);
    if (seq < 0) {
      throw new InvalidFieldException("seq", "expected a sequence number of zero or more");
    }
    if (machine == null) {
      throw new InvalidFieldException("machine", "expected {factory, line, id}");
    }
    values = values == null ? List.of() : List.copyOf(values);
    states = states == null ? List.of() : List.copyOf(states);
    counters = counters == null ? List.of() : List.copyOf(counters);
  }

  /** Number of readings of any kind in this envelope. */
  public int size() {
    return values.size() + states.size() + counters.size();
  }
}
