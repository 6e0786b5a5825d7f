package io.gemba.model.anomaly;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rules of the KPI job's anomaly detection, one vocabulary for the park file, the job, the
 * stored anomalies and the API: the wire form names the rule everywhere. The park file's {@code
 * rules} choose among the signal rules; {@link #DROPOUT} and {@link #CLOCK_JUMP} concern the whole
 * machine and are always on.
 */
public enum AnomalyRule {
  /** One sample far from the last normal one, in the signal's usual steps: a spike. */
  OUTLIER,
  /** A run of such samples: the signal moved to another level. */
  SHIFT,
  /** The very same value many times in a row, in a state in which the signal moves. */
  STUCK,
  /** A slow creep away from the state's usual level (CUSUM). */
  DRIFT,
  /**
   * A periodic swing in a signal that normally has none: one frequency holds an unusual share of
   * the power of the signal's sample-to-sample changes.
   */
  OSCILLATION,
  /** Faster change than the signal's physical limit, {@code maxRatePerSecond}. */
  RATE_OF_CHANGE,
  /** Western Electric rule 2: two of three samples beyond 2σ of the usual level, on one side. */
  WE2,
  /** Western Electric rule 3: four of five samples beyond 1σ, on one side. */
  WE3,
  /** Western Electric rule 4: eight samples in a row on one side of the usual level. */
  WE4,
  /** A signal silent for ten of its intervals while the machine reports: always on. */
  DROPOUT,
  /** A machine clock far from its gateway's or the job's: always on. */
  CLOCK_JUMP;

  /** Whether the rule concerns the whole machine, not one signal, and is always on. */
  public boolean machineRule() {
    return this == DROPOUT || this == CLOCK_JUMP;
  }

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
