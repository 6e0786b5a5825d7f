package io.gemba.jobs.anomaly;

import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The signal's level in each machine state against the level it usually has there, visit after
 * visit: means of {@link #SUBGROUP_MS} subgroups taken once the state has settled ({@link
 * #SETTLE_MS}), compared with the state's usual mean and spread of such means. The spread is learnt
 * across visits, so what varies from one visit to the next (a tool's wear, a temperature still
 * approaching its state's level) widens it, and only what the state never shows stands out.
 *
 * <p>It finds what the step rules cannot: a level that moved while nothing was judged (a shift that
 * began while the machine was settling into a state, or while it was in another one), and a drift,
 * whose steps are all usual. Which of the two it is, the deviation's course says: a level that
 * stays where it moved is a shift, one that keeps moving the same way is a drift ({@link #judge}).
 */
final class LevelCheck implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long SUBGROUP_MS = 30_000;
  static final long SETTLE_MS = 120_000;

  /** Subgroups a state needs before its level is judged. */
  static final int WARM_UP = 40;

  static final double ALPHA = 0.02;

  /** How far from the usual level, in its spreads, a subgroup mean is off. */
  static final double Z = 8;

  /** How many subgroups off before the deviation is named by its course. */
  static final int CONFIRM = 4;

  /**
   * The growth, as a share of the first deviation, beyond which a level still moving the same way
   * is a drift.
   */
  static final double DRIFT_GROWTH = 0.3;

  /** How far off, in spreads, a level must have been for a step back to end a fault. */
  static final double RETURN_Z = 3;

  /** Subgroups off after which the latest level is taken as the state's usual one (an hour). */
  static final int ACCEPT = 120;

  /**
   * What a closed subgroup showed.
   *
   * @param rule {@link Anomaly#SHIFT} or {@link Anomaly#DRIFT} once confirmed, else null
   * @param z the subgroup mean's distance from the usual level, in spreads
   * @param firstOff when the level was first seen off
   * @param normal the level is the usual one, or was just taken as the new usual one: what was off
   *     is over
   */
  record Verdict(String rule, double z, long firstOff, boolean normal) {}

  /** Per state, the usual subgroup mean and its spread. */
  private final Map<MachineState, Usual> usual = new HashMap<>();

  private long subgroupStart = Long.MIN_VALUE;
  private long subgroupVisit = Long.MIN_VALUE;
  private double subgroupSum;
  private int subgroupCount;

  // The run of subgroups off their state's level: how many, the first one's time and deviation
  // (signal units, comparable across states since a fault moves the signal in all of them).
  private int off;
  private long firstOff;
  private double firstDeviation;

  /**
   * Adds a sample of a signal that moves in {@code state} (a signal at rest or counting is not
   * added); returns the verdict when a subgroup closes, else null.
   *
   * @param learn whether a subgroup within the usual range may be learnt from: not while an anomaly
   *     of the signal is open, which would teach the usual level a fault's
   */
  Verdict add(MachineState state, long stateSince, long ts, double value, boolean learn) {
    if (ts - stateSince < SETTLE_MS) {
      subgroupStart = Long.MIN_VALUE;
      return null;
    }
    if (subgroupStart == Long.MIN_VALUE || subgroupVisit != stateSince) {
      subgroupStart = ts;
      subgroupVisit = stateSince;
      subgroupSum = 0;
      subgroupCount = 0;
    }
    subgroupSum += value;
    subgroupCount++;
    if (ts - subgroupStart < SUBGROUP_MS) {
      return null;
    }
    double mean = subgroupSum / subgroupCount;
    long start = subgroupStart;
    subgroupStart = Long.MIN_VALUE;
    return judge(state, start, mean, learn);
  }

  private Verdict judge(MachineState state, long start, double mean, boolean learn) {
    Usual c = usual.computeIfAbsent(state, k -> new Usual(WARM_UP, ALPHA));
    boolean ready = c.ready() && c.variance() > 1e-12;
    double deviation = mean - c.mean();
    double z = ready ? deviation / Math.sqrt(c.variance()) : 0;
    // Once off, the level is back only when most of the deviation is gone: a visit to a state
    // whose level varies more does not make a lasting shift normal.
    boolean stillOff =
        off > 0
            && ready
            && Math.signum(deviation) == Math.signum(firstDeviation)
            && Math.abs(deviation) >= 0.5 * Math.abs(firstDeviation);
    if (Math.abs(z) < Z && !stillOff) {
      off = 0;
      if (learn || !ready) {
        c.learn(mean);
      }
      return new Verdict(null, z, 0, true);
    }
    if (off > 0 && Math.signum(deviation) != Math.signum(firstDeviation)) {
      off = 0;
    }
    if (off == 0) {
      firstOff = start;
      firstDeviation = deviation;
    }
    off++;
    if (off >= ACCEPT) {
      // A level that lasts an hour is the state's level now.
      c.moveTo(mean);
      off = 0;
      return new Verdict(null, z, firstOff, true);
    }
    if (off < CONFIRM) {
      return new Verdict(null, z, firstOff, false);
    }
    double growth = (deviation - firstDeviation) / firstDeviation;
    return new Verdict(growth > DRIFT_GROWTH ? Anomaly.DRIFT : Anomaly.SHIFT, z, firstOff, false);
  }

  /**
   * How far {@code value} is from the usual level of {@code state}, in signal units; 0 while the
   * state has no usual level yet.
   */
  double offset(MachineState state, double value) {
    Usual c = usual.get(state);
    return c == null || !c.ready() ? 0 : value - c.mean();
  }

  /**
   * Whether a step from {@code from} to {@code to} brings a level that was well off the usual one
   * of {@code state} (at least {@link #RETURN_Z} spreads) most of the way back: the end of a fault,
   * not a new one.
   */
  boolean returns(MachineState state, double from, double to) {
    Usual c = usual.get(state);
    if (c == null || !c.ready() || c.variance() <= 1e-12) {
      return false;
    }
    double off = from - c.mean();
    return Math.abs(off) >= RETURN_Z * Math.sqrt(c.variance())
        && Math.abs(to - c.mean()) < 0.5 * Math.abs(off);
  }

  /** The level came back at once (a step the step rules saw): the next run starts afresh. */
  void reset() {
    off = 0;
  }
}
