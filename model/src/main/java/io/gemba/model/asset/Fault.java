package io.gemba.model.asset;

import io.gemba.model.config.InvalidFieldException;
import java.time.Duration;

/**
 * A fault the simulators inject into one machine, at a fixed time after the simulation starts.
 *
 * @param kind what goes wrong
 * @param signal the affected signal (as named in the park file); not used by {@code clock_skew},
 *     which shifts every timestamp of the machine
 * @param after when the fault starts, after the start of the simulation (ISO-8601, {@code PT2H})
 * @param duration how long it lasts
 * @param magnitude in the signal's unit: the total drift, the spike height, the level shift, the
 *     oscillation's amplitude; in seconds for {@code clock_skew}; not used by {@code stuck} and
 *     {@code dropout}
 * @param period the oscillation's period, and the time between spikes (default 60 s)
 */
public record Fault(
    FaultKind kind,
    String signal,
    Duration after,
    Duration duration,
    Double magnitude,
    Duration period) {
  public Fault {
    if (kind == null) {
      throw new InvalidFieldException(
          "kind",
          "expected one of drift, spike, stuck, oscillation, level_shift, dropout, clock_skew");
    }
    if (kind != FaultKind.CLOCK_SKEW && (signal == null || signal.isBlank())) {
      throw new InvalidFieldException(
          "signal", "expected the signal the " + kind.wireName() + " fault affects");
    }
    if (after == null || after.isNegative()) {
      throw new InvalidFieldException(
          "after", "expected a duration after the simulation start, e.g. PT2H");
    }
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new InvalidFieldException("duration", "expected a positive duration, e.g. PT30M");
    }
    boolean needsMagnitude = kind != FaultKind.STUCK && kind != FaultKind.DROPOUT;
    if (needsMagnitude && (magnitude == null || !Double.isFinite(magnitude))) {
      throw new InvalidFieldException(
          "magnitude", "expected a number for a " + kind.wireName() + " fault");
    }
    period = period == null ? Duration.ofSeconds(60) : period;
    if (period.isZero() || period.isNegative()) {
      throw new InvalidFieldException("period", "expected a positive duration, e.g. PT10S");
    }
  }
}
