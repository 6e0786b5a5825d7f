package io.gemba.model.anomaly;

import io.gemba.model.asset.MachineKind;
import io.gemba.model.config.InvalidFieldException;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the KPI job judges the signals this entry matches, from the park file's {@code anomalies}
 * list: the first entry whose {@code signals} and {@code machineKinds} match a signal applies to
 * it; a signal no entry matches is judged by {@link #DEFAULTS}.
 *
 * @param signals globs over signal names ({@code *} any characters, {@code ?} one); default all
 * @param machineKinds the kinds of machine; default all
 * @param rules the rules to apply; default outlier, shift, stuck and drift
 * @param outlierSteps how many of the signal's usual steps away a sample is an outlier; default 6
 * @param stuckSamples how many equal samples in a row are a stuck sensor; default 15
 * @param driftAllowance the CUSUM allowance, in the level's standard deviations; default 3
 * @param driftThreshold the CUSUM alarm threshold; default 100
 * @param maxRatePerSecond the fastest change the signal can physically make, in its unit per
 *     second; required by {@code rate_of_change}
 */
public record SignalRules(
    List<String> signals,
    List<MachineKind> machineKinds,
    Set<AnomalyRule> rules,
    Double outlierSteps,
    Integer stuckSamples,
    Double driftAllowance,
    Double driftThreshold,
    Double maxRatePerSecond)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The rules of a signal that no entry matches. */
  public static final SignalRules DEFAULTS =
      new SignalRules(null, null, null, null, null, null, null, null);

  public SignalRules {
    signals = signals == null || signals.isEmpty() ? List.of("*") : List.copyOf(signals);
    for (int i = 0; i < signals.size(); i++) {
      if (signals.get(i) == null || signals.get(i).isBlank()) {
        throw new InvalidFieldException(
            "signals[" + i + "]", "expected a signal name or glob, e.g. *temperature*");
      }
    }
    machineKinds = machineKinds == null ? List.of() : List.copyOf(machineKinds);
    rules =
        rules == null
            ? EnumSet.of(
                AnomalyRule.OUTLIER,
                AnomalyRule.SHIFT,
                AnomalyRule.STUCK,
                AnomalyRule.DRIFT,
                AnomalyRule.OSCILLATION)
            : (rules.isEmpty() ? EnumSet.noneOf(AnomalyRule.class) : EnumSet.copyOf(rules));
    outlierSteps = positive("outlierSteps", outlierSteps, 6.0);
    driftAllowance = positive("driftAllowance", driftAllowance, 3.0);
    driftThreshold = positive("driftThreshold", driftThreshold, 100.0);
    if (stuckSamples == null) {
      stuckSamples = 15;
    } else if (stuckSamples < 2) {
      throw new InvalidFieldException(
          "stuckSamples", "expected at least 2 samples, got " + stuckSamples);
    }
    if (maxRatePerSecond != null && !(maxRatePerSecond > 0)) {
      throw new InvalidFieldException(
          "maxRatePerSecond", "expected a positive rate in the signal's unit per second");
    }
    for (AnomalyRule rule : rules) {
      if (rule.machineRule()) {
        throw new InvalidFieldException(
            "rules",
            rule.wireName() + " concerns the whole machine and is always on; not a signal's rule");
      }
    }
    if (rules.contains(AnomalyRule.RATE_OF_CHANGE) && maxRatePerSecond == null) {
      throw new InvalidFieldException(
          "maxRatePerSecond",
          "rule rate_of_change needs the fastest change the signal can make, e.g. 2.5 (per s)");
    }
  }

  private static Double positive(String field, Double value, double fallback) {
    if (value == null) {
      return fallback;
    }
    if (!(value > 0) || value.isInfinite()) {
      throw new InvalidFieldException(field, "expected a positive number, got " + value);
    }
    return value;
  }

  /** Whether this entry applies to {@code signal} of a machine of {@code kind}. */
  public boolean matches(String signal, MachineKind kind) {
    if (!machineKinds.isEmpty() && !machineKinds.contains(kind)) {
      return false;
    }
    return signals.stream().anyMatch(glob -> compile(glob).matcher(signal).matches());
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  public boolean has(AnomalyRule rule) {
    return rules.contains(rule);
  }

  /** The rules of the first entry that matches, or the defaults. */
  public static SignalRules of(List<SignalRules> entries, String signal, MachineKind kind) {
    return entries.stream().filter(e -> e.matches(signal, kind)).findFirst().orElse(DEFAULTS);
  }
}
