package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The part counters a machine reports; all are cumulative. A machine reports {@code total} and
 * either {@code good} or {@code reject}.
 */
public enum Counter {
  /** Every part the machine finished, good or not. */
  TOTAL,
  /** Parts that passed quality checks. */
  GOOD,
  /** Parts that failed quality checks; good parts are then total minus rejects. */
  REJECT;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
