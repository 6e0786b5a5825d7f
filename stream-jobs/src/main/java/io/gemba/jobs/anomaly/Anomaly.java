package io.gemba.jobs.anomaly;

/**
 * Something unusual in one signal of one machine, from {@code start} to {@code end} (source time,
 * epoch ms, end exclusive; an anomaly is reported once it has ended), found by {@code rule}, with a
 * sentence for the plant engineer.
 *
 * @param score how far out it was: for outliers and shifts in usual steps of the signal, for drift
 *     the CUSUM, for stuck the repeats, for dropouts and clock jumps the seconds
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
}
