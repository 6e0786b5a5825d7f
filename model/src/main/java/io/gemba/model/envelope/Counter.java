package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The part counters a machine reports; both are cumulative. */
public enum Counter {
  /** Every part the machine finished, good or not. */
  TOTAL,
  /** Parts that passed quality checks. */
  GOOD;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
