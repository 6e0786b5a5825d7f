package io.gemba.model.asset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a machine is doing. State time is what availability is computed from: only {@link
 * #PRODUCING} is run time; {@link #UNKNOWN} is time without data and is reported as lost coverage,
 * not as downtime.
 */
public enum MachineState {
  PRODUCING,
  IDLE,
  /** Unplanned stop: breakdown, fault, waiting for repair. */
  DOWN,
  /** Setup or changeover between products. */
  SETUP,
  /** A stop that was planned: break, maintenance slot, no order scheduled. */
  PLANNED_STOP,
  /** No data, or data of bad quality. */
  UNKNOWN;

  /** The wire and file form: lower case, e.g. {@code planned_stop}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the wire form.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  @JsonCreator
  public static MachineState fromWire(String text) {
    for (MachineState state : values()) {
      if (state.wireName().equals(text)) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "unknown machine state '"
            + text
            + "', expected one of "
            + Arrays.stream(values())
                .map(MachineState::wireName)
                .collect(Collectors.joining(", ")));
  }
}
