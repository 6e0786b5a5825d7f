package io.gemba.jobs.anomaly;

/**
 * Something unusual in one signal of one machine, from {@code start} to {@code end} (source time,
 * epoch ms, end exclusive; an anomaly is reported once it has ended), found by {@code rule}, with a
 * sentence for the plant engineer.
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

  /** The rules, as stored. */
  public static final String OUTLIER = "outlier";

  public static final String SHIFT = "shift";
  public static final String STUCK = "stuck";
  public static final String DROPOUT = "dropout";
  public static final String CLOCK = "clock_jump";
  public static final String DRIFT = "drift";
  public static final String RATE_OF_CHANGE = "rate_of_change";
  public static final String WE2 = "we2";
  public static final String WE3 = "we3";
  public static final String WE4 = "we4";
}
