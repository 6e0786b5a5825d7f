package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;

/**
 * The machine's state as read at {@code ts}: the machine has been in {@code state} since {@code
 * ts}. A reading of bad quality means the state is unknown from then on.
 */
public record StateChange(
    @JsonProperty(required = true) long ts,
    @JsonProperty(required = true) MachineState state,
    Quality quality) {
  public StateChange {
    if (state == null) {
      throw new InvalidFieldException(
          "state", "expected one of producing, idle, down, setup, planned_stop, unknown");
    }
    quality = quality == null ? Quality.GOOD : quality;
  }

  /** The state to account, taking quality into account. */
  public MachineState effectiveState() {
    return quality == Quality.BAD ? MachineState.UNKNOWN : state;
  }
}
