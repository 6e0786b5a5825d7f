package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;

/**
 * The machine's state as read at {@code ts}: the machine has been in {@code state} since {@code
 * ts}. A reading of bad quality means the state is unknown from then on.
 *
 * @param reason why the machine is not producing, as the machine reported it (e.g. {@code
 *     breakdown}, or a PLC's fault code); absent when it gave none. A new reason in the same state
 *     is sent as a new reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateChange(
    @JsonProperty(required = true) long ts,
    @JsonProperty(required = true) MachineState state,
    Quality quality,
    String reason) {

  /** The longest stop reason accepted, in characters. */
  public static final int MAX_REASON_LENGTH = Names.MAX_LENGTH;

  public StateChange {
    if (state == null) {
      throw new InvalidFieldException(
          "state", "expected one of producing, idle, down, setup, planned_stop, unknown");
    }
    quality = quality == null ? Quality.GOOD : quality;
    if (reason != null && reason.isEmpty()) {
      reason = null;
    }
    if (reason != null) {
      Names.requireReason("reason", reason);
    }
    Envelope.requireTimestamp("ts", ts);
  }

  /** A reading without a stop reason. */
  public StateChange(long ts, MachineState state, Quality quality) {
    this(ts, state, quality, null);
  }

  /** The state to account, taking quality into account. */
  public MachineState effectiveState() {
    return quality == Quality.BAD ? MachineState.UNKNOWN : state;
  }
}
