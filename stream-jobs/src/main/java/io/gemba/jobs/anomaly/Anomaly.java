package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.AnomalyRule;

/**
 * Something unusual in one signal of one machine, from {@code start} to {@code end} (source time,
 * epoch ms, end exclusive), found by {@code rule}, with a sentence for the plant engineer. An
 * anomaly that lasts is raised as soon as it is found, with end {@link #ONGOING}, and reported
 * again with its end when it is over; both carry the same start, so the second replaces the first
 * where they are stored.
 *
 * @param score how far out it was: for outliers and shifts in usual steps of the signal, for drift
 *     the CUSUM, for stuck the repeats, for dropouts and clock jumps the seconds, for rate of
 *     change the fastest rate seen (unit per second), for the Western Electric rules the largest
 *     z-score of a subgroup mean
 */
public record Anomaly(
    String factory,
    String line,
    String machine,
    String signal,
    String rule,
    double score,
    long start,
    long end,
    String message) {

  /** The end of an anomaly raised while it lasts. */
  public static final long ONGOING = 0;

  /** Whether this is an anomaly raised while it lasts, to be reported again when it ends. */
  public boolean ongoing() {
    return end == ONGOING;
  }

  /** The rules, as stored: the wire names of {@link AnomalyRule}. */
  public static final String OUTLIER = AnomalyRule.OUTLIER.wireName();

  public static final String SHIFT = AnomalyRule.SHIFT.wireName();
  public static final String STUCK = AnomalyRule.STUCK.wireName();
  public static final String DROPOUT = AnomalyRule.DROPOUT.wireName();
  public static final String CLOCK = AnomalyRule.CLOCK_JUMP.wireName();
  public static final String DRIFT = AnomalyRule.DRIFT.wireName();
  public static final String RATE_OF_CHANGE = AnomalyRule.RATE_OF_CHANGE.wireName();
  public static final String WE2 = AnomalyRule.WE2.wireName();
  public static final String WE3 = AnomalyRule.WE3.wireName();
  public static final String WE4 = AnomalyRule.WE4.wireName();
  public static final String OSCILLATION = AnomalyRule.OSCILLATION.wireName();
}
