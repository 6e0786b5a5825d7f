package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.AnomalyRule;
import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Watches one signal of one machine with streaming robust statistics, in the machine's state: the
 * same spindle speed is normal while producing and alarming while idle.
 *
 * <ul>
 *   <li><b>outlier</b> / <b>shift</b>: the step from the last normal value, less the signal's
 *       recent slope (so that a machine warming up is expected), is more than {@link #OUTLIER}
 *       times the signal's usual step (an exponentially weighted mean of absolute steps, learnt
 *       from normal samples only). A short run is an outlier (a spike); a run that lasts {@link
 *       #SHIFT_SAMPLES} samples is a level shift, reported until the signal comes back, and after
 *       {@link #ACCEPT_SAMPLES} the new level is accepted as normal.
 *   <li><b>stuck</b>: the same value {@link #STUCK_SAMPLES} times in a row in a state in which the
 *       signal normally moves.
 *   <li><b>drift</b>: a two-sided CUSUM of the deviation from a slow baseline of the state, in
 *       units of the state's learnt level spread, with an allowance of {@link #DRIFT_K} and an
 *       alarm past {@link #DRIFT_H}; armed only after the signal has been {@link #DRIFT_SETTLE_MS}
 *       in the state, so that warm-up ramps are not drift.
 *   <li><b>rate_of_change</b>: two samples further apart in value than the signal's physical limit
 *       ({@code maxRatePerSecond}) allows in the time between them.
 *   <li><b>we2</b>, <b>we3</b>, <b>we4</b>: the Western Electric rules 2–4 on an X-bar chart of the
 *       state: means of {@link #SUBGROUP_MS} subgroups against the state's usual mean and spread of
 *       such means, learnt once the state settled ({@link #DRIFT_SETTLE_MS}) from {@link
 *       #SPC_WARM_UP} subgroups. Rule 1 (a point beyond 3σ) is what outlier and shift report.
 * </ul>
 *
 * <p>Which rules apply to a signal, and their thresholds, come from the park file's {@code
 * anomalies} entries ({@link SignalRules}).
 *
 * <p>A state's usual step is learnt from samples at least {@link #SETTLE_MS} after the machine
 * entered it; nothing is judged in a state before {@link #WARM_UP} such samples, nor while
 * settling. Signals that mostly repeat their value in a state (counter-like, or at rest) are not
 * judged in it.
 */
public final class SignalMonitor implements Serializable {

  private static final long serialVersionUID = 1L;

  static final int WARM_UP = 30;
  static final long SETTLE_MS = 30_000;
  static final double OUTLIER = 6;
  static final int SHIFT_SAMPLES = 5;
  static final int ACCEPT_SAMPLES = 600;
  static final int STUCK_SAMPLES = 15;
  static final double DRIFT_K = 3;
  static final double DRIFT_H = 100;
  static final int DRIFT_WARM_UP = 600;
  static final long DRIFT_SETTLE_MS = 600_000;
  static final double ALPHA = 0.02;
  static final double BASELINE_ALPHA = 0.001;
  static final long SUBGROUP_MS = 10_000;
  static final int SPC_WARM_UP = 30;
  static final double SPC_ALPHA = 0.02;

  /** What the monitor reports: rule, score, start, end (0 while open), and the sentence. */
  public interface Sink {
    void report(String rule, double score, long start, long end, String message);
  }

  private final String signal;
  private double last = Double.NaN;

  /** The signal's recent slope per sample, so that a ramp (a machine warming up) is expected. */
  private double trend;

  private long lastTs = Long.MIN_VALUE;
  private double periodMs;
  private final Map<MachineState, Double> step = new HashMap<>();
  private final Map<MachineState, Double> baseline = new HashMap<>();
  private final Map<MachineState, Double> levelVariance = new HashMap<>();
  private final Map<MachineState, Integer> levelSamples = new HashMap<>();

  /** Per state, how many settled samples the usual step was learnt from. */
  private final Map<MachineState, Integer> learnt = new HashMap<>();

  /** Per state, how often a sample repeats the previous value exactly (EWMA of 0 or 1). */
  private final Map<MachineState, Double> repeatRate = new HashMap<>();

  /** Per state: count, mean and variance of subgroup means, for the X-bar chart. */
  private final Map<MachineState, double[]> chart = new HashMap<>();

  private long subgroupStart = Long.MIN_VALUE;
  private double subgroupSum;
  private int subgroupCount;

  /** The latest subgroup means' z-scores, newest last. */
  private final double[] recentZ = new double[8];

  private int recentCount;

  private int repeats;
  private double repeatingBeforeRun = 1;
  private double cusumUp;
  private double cusumDown;

  // The open anomaly, if any.
  private String openRule;
  private long openStart;
  private double openScore;
  private int outlierRun;

  public SignalMonitor(String signal) {
    this.signal = signal;
  }

  public long lastTs() {
    return lastTs;
  }

  /** The usual time between samples, 0 until two samples were seen. */
  public double periodMs() {
    return periodMs;
  }

  /**
   * Judges one sample with {@code rules}; the machine is in {@code state} since {@code stateSince}.
   */
  public void observe(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (lastTs != Long.MIN_VALUE && ts < lastTs - 1_000) {
      // The clock went back (the machine monitor reports it once): start over from here.
      close(ts, rules, sink);
      restart(value, ts);
      return;
    }
    if (ts <= lastTs) {
      return;
    }
    if (lastTs != Long.MIN_VALUE) {
      double delta = ts - lastTs;
      periodMs = periodMs == 0 ? delta : 0.9 * periodMs + 0.1 * delta;
    }
    long previousTs = lastTs;
    lastTs = ts;
    if (Double.isNaN(last)) {
      last = value;
      return;
    }
    if (rules.has(AnomalyRule.RATE_OF_CHANGE) && rateOfChange(previousTs, ts, value, rules, sink)) {
      return;
    }
    boolean settling = ts - stateSince < SETTLE_MS;
    Double usual = step.get(state);
    double r = value - last - trend;
    // Only continuous signals are judged: one that mostly repeats its value (a counter-like
    // signal, or one at rest in this state) has no usual step to compare with.
    double repeating = repeatRate.getOrDefault(state, 1.0);
    boolean judged =
        learnt.getOrDefault(state, 0) >= WARM_UP
            && !settling
            && usual != null
            && usual > 1e-9
            && (repeats > 0 ? repeatingBeforeRun : repeating) < 0.2;
    double z = judged ? Math.abs(r) / usual : 0;

    boolean stepRules = rules.has(AnomalyRule.OUTLIER) || rules.has(AnomalyRule.SHIFT);
    if (stepRules && judged && z > rules.outlierSteps()) {
      outlierRun++;
      repeats = 0;
      if (openRule == null) {
        open(Anomaly.OUTLIER, ts, z);
      }
      openScore = Math.max(openScore, z);
      if (outlierRun == SHIFT_SAMPLES) {
        openRule = Anomaly.SHIFT;
      }
      if (outlierRun >= ACCEPT_SAMPLES) {
        // A lasting new level: report the shift and take the level as normal from here.
        close(ts, rules, sink);
        last = value;
      }
      return;
    }
    if (Anomaly.OUTLIER.equals(openRule) || Anomaly.SHIFT.equals(openRule)) {
      close(ts, rules, sink);
    }
    outlierRun = 0;

    // Stuck: the very same value again, in a state in which the signal moves.
    boolean same = value == last;
    trend += 0.1 * (value - last - trend);
    if (same && repeats == 0) {
      // Judge a run of repeats by how often the signal repeated before it began.
      repeatingBeforeRun = repeating;
    }
    repeats = same ? repeats + 1 : 0;
    if (repeats >= rules.stuckSamples()
        && rules.has(AnomalyRule.STUCK)
        && judged
        && repeatingBeforeRun < 0.05
        && openRule == null) {
      open(Anomaly.STUCK, ts - (long) (repeats * periodMs), repeats);
    } else if (repeats == 0 && Anomaly.STUCK.equals(openRule)) {
      close(ts, rules, sink);
    }
    repeatRate.merge(state, same ? 1.0 : 0.0, (old, x) -> old + ALPHA * (x - old));
    if (!settling && repeats < 3) {
      // Learnt from settled, normal samples only: a state change's jump is not a usual step.
      step.merge(state, Math.abs(r), (old, x) -> old + ALPHA * (x - old));
      learnt.merge(state, 1, Integer::sum);
    }

    drift(state, stateSince, ts, value, rules, sink);
    if (rules.has(AnomalyRule.WE2) || rules.has(AnomalyRule.WE3) || rules.has(AnomalyRule.WE4)) {
      controlChart(state, stateSince, ts, value, rules, sink);
    }
    last = value;
  }

  /**
   * Reports a change faster than the signal can make; returns true while one is open, so that the
   * impossible sample is not learnt from.
   */
  private boolean rateOfChange(
      long previousTs, long ts, double value, SignalRules rules, Sink sink) {
    double seconds = Math.max(ts - previousTs, 1) / 1000.0;
    double rate = Math.abs(value - last) / seconds;
    if (rate > rules.maxRatePerSecond()) {
      if (openRule == null) {
        open(Anomaly.RATE_OF_CHANGE, ts, rate);
      }
      if (Anomaly.RATE_OF_CHANGE.equals(openRule)) {
        openScore = Math.max(openScore, rate);
        last = value;
        return true;
      }
    } else if (Anomaly.RATE_OF_CHANGE.equals(openRule)) {
      close(ts, rules, sink);
    }
    return false;
  }

  /** Adds the sample to its subgroup; a full subgroup's mean is judged by rules 2–4. */
  private void controlChart(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    boolean settled = ts - stateSince >= DRIFT_SETTLE_MS;
    if (!settled || (subgroupStart != Long.MIN_VALUE && subgroupStart < stateSince)) {
      // A subgroup does not span a state change, nor the settling after one.
      subgroupStart = Long.MIN_VALUE;
      recentCount = 0;
      if (isControlRule(openRule)) {
        close(ts, rules, sink);
      }
      if (!settled) {
        return;
      }
    }
    if (subgroupStart == Long.MIN_VALUE) {
      subgroupStart = ts;
      subgroupSum = 0;
      subgroupCount = 0;
    }
    subgroupSum += value;
    subgroupCount++;
    if (ts - subgroupStart < SUBGROUP_MS) {
      return;
    }
    double mean = subgroupSum / subgroupCount;
    subgroupStart = ts;
    subgroupSum = 0;
    subgroupCount = 0;
    double[] c = chart.computeIfAbsent(state, k -> new double[] {0, mean, 0});
    boolean ready = c[0] >= SPC_WARM_UP && c[2] > 1e-12;
    double z = ready ? (mean - c[1]) / Math.sqrt(c[2]) : 0;
    String rule = ready ? violated(z, rules) : null;
    if (rule != null && openRule == null) {
      open(rule, ts - SUBGROUP_MS, Math.abs(z));
    } else if (rule != null && rule.equals(openRule)) {
      openScore = Math.max(openScore, Math.abs(z));
    } else if (rule == null && isControlRule(openRule)) {
      close(ts, rules, sink);
    }
    if (rule == null) {
      // The chart's centre line and spread, learnt from subgroups in control.
      double deviation = mean - c[1];
      c[0]++;
      c[1] += (c[0] < SPC_WARM_UP ? 1 / c[0] : SPC_ALPHA) * deviation;
      c[2] += (c[0] < SPC_WARM_UP ? 1 / c[0] : SPC_ALPHA) * (deviation * deviation - c[2]);
    }
  }

  /** The first of rules 2–4 that the latest subgroup means break, with {@code z} the newest. */
  private String violated(double z, SignalRules rules) {
    System.arraycopy(recentZ, 1, recentZ, 0, recentZ.length - 1);
    recentZ[recentZ.length - 1] = z;
    recentCount = Math.min(recentCount + 1, recentZ.length);
    if (rules.has(AnomalyRule.WE2) && beyond(3, 2, 2.0)) {
      return Anomaly.WE2;
    }
    if (rules.has(AnomalyRule.WE3) && beyond(5, 4, 1.0)) {
      return Anomaly.WE3;
    }
    if (rules.has(AnomalyRule.WE4) && beyond(8, 8, 0.0)) {
      return Anomaly.WE4;
    }
    return null;
  }

  /** Whether {@code atLeast} of the last {@code of} z-scores lie beyond {@code sigma}, one side. */
  private boolean beyond(int of, int atLeast, double sigma) {
    if (recentCount < of) {
      return false;
    }
    int above = 0;
    int below = 0;
    for (int i = recentZ.length - of; i < recentZ.length; i++) {
      above += recentZ[i] > sigma ? 1 : 0;
      below += recentZ[i] < -sigma ? 1 : 0;
    }
    return above >= atLeast || below >= atLeast;
  }

  private static boolean isControlRule(String rule) {
    return Anomaly.WE2.equals(rule) || Anomaly.WE3.equals(rule) || Anomaly.WE4.equals(rule);
  }

  private void drift(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    boolean armed = repeatRate.getOrDefault(state, 1.0) < 0.2 && ts - stateSince >= DRIFT_SETTLE_MS;
    Double mean = baseline.get(state);
    if (!armed || mean == null) {
      // Until the state has settled the baseline follows the signal closely (warm-up ramps).
      baseline.merge(state, value, (old, x) -> old + 0.05 * (x - old));
      cusumUp = 0;
      cusumDown = 0;
      if (Anomaly.DRIFT.equals(openRule)) {
        close(ts, rules, sink);
      }
      return;
    }
    double deviation = value - mean;
    Double variance = levelVariance.get(state);
    int seen = levelSamples.getOrDefault(state, 0);
    if (variance != null && seen >= DRIFT_WARM_UP && variance > 1e-12) {
      double z = deviation / Math.sqrt(variance);
      cusumUp = Math.max(0, cusumUp + z - rules.driftAllowance());
      cusumDown = Math.max(0, cusumDown - z - rules.driftAllowance());
      double cusum = Math.max(cusumUp, cusumDown);
      if (cusum > rules.driftThreshold() && rules.has(AnomalyRule.DRIFT) && openRule == null) {
        open(Anomaly.DRIFT, ts, cusum);
      } else if (Anomaly.DRIFT.equals(openRule)) {
        openScore = Math.max(openScore, cusum);
        if (cusum == 0) {
          close(ts, rules, sink);
        }
      }
    }
    if (!Anomaly.DRIFT.equals(openRule)) {
      // The state's level and its spread, learnt while nothing is wrong.
      baseline.put(state, mean + BASELINE_ALPHA * deviation);
      levelVariance.merge(
          state, deviation * deviation, (old, x) -> old + BASELINE_ALPHA * (x - old));
      levelSamples.merge(state, 1, Integer::sum);
    }
  }

  private void open(String rule, long start, double score) {
    openRule = rule;
    openStart = start;
    openScore = score;
  }

  /** Closes the open anomaly, if any, at {@code end}. */
  public void close(long end, Sink sink) {
    close(end, SignalRules.DEFAULTS, sink);
  }

  /**
   * Closes the open anomaly, if any, at {@code end}; a spike on a signal whose rules leave out
   * outliers (or a level shift, shifts) is not reported.
   */
  public void close(long end, SignalRules rules, Sink sink) {
    if (openRule == null) {
      return;
    }
    boolean reported =
        !(Anomaly.OUTLIER.equals(openRule) && !rules.has(AnomalyRule.OUTLIER))
            && !(Anomaly.SHIFT.equals(openRule) && !rules.has(AnomalyRule.SHIFT));
    if (reported) {
      sink.report(openRule, openScore, openStart, Math.max(end, openStart + 1), sentence());
    }
    openRule = null;
    outlierRun = 0;
  }

  private void restart(double value, long ts) {
    last = value;
    lastTs = ts;
    trend = 0;
    repeats = 0;
    outlierRun = 0;
  }

  private String sentence() {
    return switch (openRule) {
      case Anomaly.OUTLIER ->
          String.format(
              Locale.ROOT,
              "%s jumped %.0f times its usual step: a spike or a glitch in the sensor.",
              signal,
              openScore);
      case Anomaly.SHIFT ->
          String.format(
              Locale.ROOT,
              "%s moved to another level (%.0f times its usual step) and stayed there.",
              signal,
              openScore);
      case Anomaly.STUCK ->
          String.format(
              Locale.ROOT,
              "%s repeated the same value %.0f times in a row: the sensor may be stuck.",
              signal,
              openScore);
      case Anomaly.DRIFT ->
          String.format(
              Locale.ROOT,
              "%s is creeping away from its usual level: wear or a fouled sensor?",
              signal);
      case Anomaly.RATE_OF_CHANGE ->
          String.format(
              Locale.ROOT,
              "%s changed at %.3g per second, faster than it physically can: a wiring or sensor"
                  + " fault.",
              signal,
              openScore);
      case Anomaly.WE2 ->
          signal
              + " is out of control: two of three 10 s means beyond two standard deviations of"
              + " its usual level (Western Electric rule 2).";
      case Anomaly.WE3 ->
          signal
              + " is out of control: four of five 10 s means beyond one standard deviation on"
              + " one side (Western Electric rule 3).";
      case Anomaly.WE4 ->
          signal
              + " is out of control: eight 10 s means in a row on one side of its usual level"
              + " (Western Electric rule 4).";
      default -> signal + ": " + openRule;
    };
  }
}
