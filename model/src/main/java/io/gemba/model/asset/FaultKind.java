package io.gemba.model.asset;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Kinds of sensor and machine faults the simulators inject, and anomaly detection looks for. */
public enum FaultKind {
  /** The value creeps away by {@code magnitude} over the fault, as with bearing wear. */
  DRIFT,
  /** Single samples jump by {@code magnitude}, every {@code period}. */
  SPIKE,
  /** The sensor repeats its last value. */
  STUCK,
  /** A sine of amplitude {@code magnitude} and period {@code period} rides on the value. */
  OSCILLATION,
  /** The value is offset by {@code magnitude} for the whole fault. */
  LEVEL_SHIFT,
  /** The sensor sends nothing. */
  DROPOUT,
  /** The machine's clock runs {@code magnitude} seconds off: every timestamp is shifted. */
  CLOCK_SKEW;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
