package io.gemba.jobs.anomaly;

import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The signal's slope within a machine state against the slope it usually has there: the least
 * squares slope of {@link #WINDOW_MS} of settled samples, all in one visit of the state, compared
 * with the state's usual mean and spread of such slopes. A drift adds its creep to whatever the
 * signal does anyway (a tool's wear raises a spindle's vibration part by part), so it stands out as
 * a steeper slope long before the level leaves its usual range.
 *
 * <p>A window holds only samples the monitor judged normal and that follow each other at the
 * signal's usual spacing: a step, a gap or an anomaly starts it over, so a level shift is never
 * read as a slope.
 */
final class TrendCheck implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long WINDOW_MS = 300_000;

  /** Windows a state needs before its slope is judged. */
  static final int WARM_UP = 3;

  static final double ALPHA = 0.05;

  /** How far from the usual slope, in its spreads, a window's slope is steep. */
  static final double Z = 5;

  /**
   * A closed window.
   *
   * @param z its slope's distance from the state's usual slope, in spreads (0 while warming up, and
   *     for a transient: a slope that slowed down within the window)
   * @param start when the window began
   * @param slopePerHour its slope, in signal units per hour
   */
  record Verdict(double z, long start, double slopePerHour) {}

  /** Per state, the usual window slope (per second) and its spread. */
  private final Map<MachineState, Usual> usual = new HashMap<>();

  private long visit = Long.MIN_VALUE;
  private long start = Long.MIN_VALUE;
  private long lastTs;

  /** Sums of the window's two halves: n, x, y, xx, xy, yy each. */
  private final double[] first = new double[6];

  private final double[] second = new double[6];

  /** The previous sample of the window, and the count, sum and sum of squares of its steps. */
  private double previous = Double.NaN;

  private final double[] steps = new double[3];

  /**
   * Adds a sample judged normal; returns the verdict when a window closes, else null.
   *
   * @param periodMs the signal's usual time between samples
   */
  Verdict add(MachineState state, long stateSince, long ts, double value, double periodMs) {
    if (ts - stateSince < SignalMonitor.SETTLE_MS) {
      reset();
      return null;
    }
    if (start == Long.MIN_VALUE || visit != stateSince || ts - lastTs > 3 * periodMs + 1_000) {
      reset();
      visit = stateSince;
      start = ts;
    }
    double x = (ts - start) / 1000.0;
    double[] half = ts - start < WINDOW_MS / 2 ? first : second;
    half[0]++;
    half[1] += x;
    half[2] += value;
    half[3] += x * x;
    half[4] += x * value;
    half[5] += value * value;
    if (!Double.isNaN(previous)) {
      double step = value - previous;
      steps[0]++;
      steps[1] += step;
      steps[2] += step * step;
    }
    previous = value;
    lastTs = ts;
    if (ts - start < WINDOW_MS || first[0] < 5 || second[0] < 5) {
      return null;
    }
    double[] all = new double[6];
    for (int i = 0; i < all.length; i++) {
      all[i] = first[i] + second[i];
    }
    double slope = slope(all);
    // Its standard error, from the window's own scatter about the line.
    double n = all[0];
    double xx = all[3] - all[1] * all[1] / n;
    double xy = all[4] - all[1] * all[2] / n;
    double yy = all[5] - all[2] * all[2] / n;
    double scatter = Math.max(0, yy - slope * xy) / (n - 2);
    // Samples that follow each other closely (a temperature) carry less news than their number:
    // the lag-one correlation of the scatter, from the steps' spread (var(step) = 2 var (1 - r)),
    // widens the error by (1 + r) / (1 - r).
    double stepVariance = (steps[2] - steps[1] * steps[1] / steps[0]) / (steps[0] - 1);
    double r = scatter <= 0 ? 0 : Math.min(0.99, Math.max(0, 1 - stepVariance / (2 * scatter)));
    double error2 = scatter / xx * (1 + r) / (1 - r);
    // A level still settling towards its state's own slows down (a temperature approaching the
    // state's); a drift keeps its pace through the window.
    boolean steady =
        Math.signum(slope(second)) == Math.signum(slope)
            && Math.abs(slope(second)) >= 0.5 * Math.abs(slope(first));
    long windowStart = start;
    reset();
    if (!steady) {
      // A transient, neither judged nor learnt from.
      return new Verdict(0, windowStart, slope * 3600);
    }
    Usual c = usual.computeIfAbsent(state, k -> new Usual(WARM_UP, ALPHA));
    // The spread of slopes learnt across windows, but never below what this window's own
    // scatter allows: a few windows alike do not make a tiny spread.
    double spread2 = Math.max(c.variance(), error2);
    boolean ready = c.ready() && spread2 > 1e-18;
    double deviation = slope - c.mean();
    double z = ready ? deviation / Math.sqrt(spread2) : 0;
    if (Math.abs(z) < Z) {
      c.learn(slope);
    }
    return new Verdict(z, windowStart, slope * 3600);
  }

  /** The least squares slope of the sums {@code s} (n, x, y, xx, xy, yy). */
  private static double slope(double[] s) {
    return (s[4] - s[1] * s[2] / s[0]) / (s[3] - s[1] * s[1] / s[0]);
  }

  /** Drops the window being gathered: what comes next starts a new one. */
  void reset() {
    start = Long.MIN_VALUE;
    java.util.Arrays.fill(first, 0);
    java.util.Arrays.fill(second, 0);
    java.util.Arrays.fill(steps, 0);
    previous = Double.NaN;
  }
}
