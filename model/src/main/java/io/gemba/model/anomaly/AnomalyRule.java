package io.gemba.model.anomaly;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The rules the KPI job judges a signal by; the wire form names the rule in stored anomalies. */
public enum AnomalyRule {
  /** One sample far from the last normal one, in the signal's usual steps: a spike. */
  OUTLIER,
  /** A run of such samples: the signal moved to another level. */
  SHIFT,
  /** The very same value many times in a row, in a state in which the signal moves. */
  STUCK,
  /** A slow creep away from the state's usual level (CUSUM). */
  DRIFT,
  /** Faster change than the signal's physical limit, {@code maxRatePerSecond}. */
  RATE_OF_CHANGE,
  /** Western Electric rule 2: two of three samples beyond 2σ of the usual level, on one side. */
  WE2,
  /** Western Electric rule 3: four of five samples beyond 1σ, on one side. */
  WE3,
  /** Western Electric rule 4: eight samples in a row on one side of the usual level. */
  WE4;

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
  public static AnomalyRule fromWire(String text) {
    for (AnomalyRule rule : values()) {
      if (rule.wireName().equals(text)) {
        return rule;
      }
    }
    throw new IllegalArgumentException(
        "unknown anomaly rule '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(AnomalyRule::wireName).collect(Collectors.joining(", ")));
  }
}
