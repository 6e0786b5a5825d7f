package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.AnomalyRule;
import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.HashMap;
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
 *   <li><b>stuck</b>: the same value so many times in a row that the signal's usual rate of repeats
 *       in the state makes it a one in 10^8 chance, and at least {@link #STUCK_SAMPLES} times
 *       ({@link #stuckRun}).
 *   <li><b>oscillation</b>: a periodic swing in a signal that normally has none ({@link
 *       OscillationCheck}).
 *   <li><b>shift</b> and <b>drift</b> the steps do not show: the state's level across visits
 *       ({@link LevelCheck}) and its slope within a visit ({@link TrendCheck}); a step that brings
 *       a level well off its usual one back is the end of a fault, not a new one.
 *   <li><b>drift</b>: also a two-sided CUSUM of the deviation from a slow baseline of the state, in
 *       units of the state's learnt level spread, with an allowance of {@link #DRIFT_K} and an
 *       alarm past {@link #DRIFT_H}; armed only after the signal has been {@link #DRIFT_SETTLE_MS}
 *       in the state, so that warm-up ramps are not drift.
 *   <li><b>rate_of_change</b>: two samples further apart in value than the signal's physical limit
 *       ({@code maxRatePerSecond}) allows in the time between them.
 *   <li><b>we2</b>, <b>we3</b>, <b>we4</b>: the Western Electric rules 2–4 on an X-bar chart of the
 *       state ({@link ControlChart}). Rule 1 (a point beyond 3σ) is what outlier and shift report.
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

  /**
   * Signals that repeat their previous value more often than this in a state are not judged for
   * steps in it: they move in discrete jumps (counters, a value at rest).
   */
  static final double MAX_REPEAT_RATE = 0.5;

  static final double STUCK_CHANCE_INVERSE = 1e8;
  static final double STUCK_MAX_REPEAT_RATE = 0.8;
  static final double DRIFT_K = 3;
  static final double DRIFT_H = 100;
  static final int DRIFT_WARM_UP = 600;
  static final long DRIFT_SETTLE_MS = 600_000;
  static final double ALPHA = 0.02;
  static final double BASELINE_ALPHA = 0.001;

  /**
   * What the monitor reports: rule, score, start, end ({@link Anomaly#ONGOING} when raised while it
   * lasts), and the sentence.
   */
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

  /** The drift CUSUM, with each state's baseline level and spread. */
  private final DriftCusum drift = new DriftCusum();

  /** Each state's level across visits, for shifts and drifts the steps do not show. */
  private final LevelCheck level = new LevelCheck();

  /** Each state's slope within a visit, for drifts while they creep. */
  private final TrendCheck slope = new TrendCheck();

  /**
   * Which check opened the open shift or drift ({@link #BY_LEVEL}, {@link #BY_TREND}), or null: a
   * step back to the usual level ends it, and so does its own check's verdict.
   */
  private String openedBy;

  private static final String BY_LEVEL = "level";
  private static final String BY_TREND = "trend";

  /** Per state, how many settled samples the usual step was learnt from. */
  private final Map<MachineState, Integer> learnt = new HashMap<>();

  /** Per state, how often a sample repeats the previous value exactly (EWMA of 0 or 1). */
  private final Map<MachineState, Double> repeatRate = new HashMap<>();

  /** The X-bar chart of the Western Electric rules. */
  private final ControlChart chart = new ControlChart();

  /** The periodogram of the signal's changes. */
  private final OscillationCheck swing = new OscillationCheck();

  /** The value of the previous sample, normal or not. */
  private double previous = Double.NaN;

  private double openPeriodMs;
  private double openSlopePerHour;
  private int repeats;
  private double repeatingBeforeRun = 1;

  // The open anomaly, if any.
  private String openRule;
  private long openStart;
  private double openScore;
  private int outlierRun;

  public SignalMonitor(String signal) {
    this.signal = signal;
  }

  /**
   * Whether the signal keeps reporting in {@code state}: it sent at least {@link #WARM_UP} settled
   * samples in it. Sources that report by exception (OPC UA subscriptions) send nothing while a
   * value holds still, as a spindle's speed does while the machine is down.
   */
  public boolean reportsIn(MachineState state) {
    return learnt.getOrDefault(state, 0) >= WARM_UP;
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
    if (lastTs != Long.MIN_VALUE
        && periodMs > 0
        && ts - lastTs > MachineMonitor.DROPOUT_PERIODS * periodMs) {
      // Back after a silence: the step from a value read long ago says nothing about a spike.
      restart(value, ts);
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
      previous = value;
      return;
    }
    if (rules.has(AnomalyRule.OSCILLATION)) {
      oscillation(ts, value - previous, rules, sink);
    }
    previous = value;
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
            && (repeats > 0 ? repeatingBeforeRun : repeating) < MAX_REPEAT_RATE;
    double z = judged ? Math.abs(r) / usual : 0;

    boolean stepRules = rules.has(AnomalyRule.OUTLIER) || rules.has(AnomalyRule.SHIFT);
    boolean returns = judged && z > rules.outlierSteps() && level.returns(state, last, value);
    if (judged && z > rules.outlierSteps() && (openedBy != null || returns)) {
      // A step that brings a level well off its usual one back (a fault ending) is no new
      // anomaly, and it ends what the level or trend check found; a step elsewhere is judged as
      // any other.
      boolean back = returns || backToUsual(state, value);
      if (openedBy != null) {
        close(ts, rules, sink);
        level.reset();
        slope.reset();
      }
      if (back) {
        last = value;
        return;
      }
    }
    if (stepRules && judged && z > rules.outlierSteps()) {
      outlierRun++;
      repeats = 0;
      if (openRule == null) {
        open(Anomaly.OUTLIER, ts, z);
      }
      openScore = Math.max(openScore, z);
      if (outlierRun == SHIFT_SAMPLES) {
        openRule = Anomaly.SHIFT;
        raise(rules, sink);
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
    if (rules.has(AnomalyRule.STUCK)
        && learnt.getOrDefault(state, 0) >= WARM_UP
        && !settling
        && repeats >= stuckRun(repeatingBeforeRun, rules.stuckSamples())
        && openRule == null) {
      open(Anomaly.STUCK, ts - (long) (repeats * periodMs), repeats);
      raise(rules, sink);
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
    if (judged) {
      level(state, stateSince, ts, value, rules, sink);
      trend(state, stateSince, ts, value, rules, sink);
    } else {
      slope.reset();
    }
    if (rules.has(AnomalyRule.WE2) || rules.has(AnomalyRule.WE3) || rules.has(AnomalyRule.WE4)) {
      controlChart(state, stateSince, ts, value, rules, sink);
    }
    last = value;
  }

  /**
   * How many repeats in a row make a stuck sensor, for a signal that repeats its previous value
   * with probability {@code p} in the state: at least {@code least}, and so many that normal
   * repeats run that long less than once in {@value #STUCK_CHANCE_INVERSE} samples. A signal that
   * repeats itself more than {@value #STUCK_MAX_REPEAT_RATE} of the time (a counter, a value at
   * rest) is not judged: its runs say nothing.
   */
  static int stuckRun(double p, int least) {
    if (p > STUCK_MAX_REPEAT_RATE) {
      return Integer.MAX_VALUE;
    }
    if (p <= 0) {
      return least;
    }
    double run = Math.log(1.0 / STUCK_CHANCE_INVERSE) / Math.log(p);
    return Math.max(least, (int) Math.ceil(run));
  }

  /** Feeds one change to the oscillation check, and opens or closes what its window says. */
  private void oscillation(long ts, double change, SignalRules rules, Sink sink) {
    OscillationCheck.Window w = swing.add(change);
    if (w == null) {
      return;
    }
    boolean alarm = w.alarm();
    if (alarm && openRule == null) {
      open(Anomaly.OSCILLATION, ts, w.peak());
      openPeriodMs = w.periodSamples() * periodMs;
      raise(rules, sink);
    } else if (alarm && Anomaly.OSCILLATION.equals(openRule)) {
      openScore = Math.max(openScore, w.peak());
    } else if (!alarm) {
      if (Anomaly.OSCILLATION.equals(openRule)) {
        close(ts, rules, sink);
      }
      swing.learn(w);
    }
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
        raise(rules, sink);
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

  /** Feeds the sample to the control chart, and opens or closes what rules 2–4 say. */
  private void controlChart(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    ControlChart.Step step = chart.add(state, stateSince, ts, value, rules);
    if (step.reset() && isControlRule(openRule)) {
      close(ts, rules, sink);
    }
    if (!step.closed()) {
      return;
    }
    String rule = step.rule();
    if (rule != null && openRule == null) {
      open(rule, ts - ControlChart.SUBGROUP_MS, Math.abs(step.z()));
      raise(rules, sink);
    } else if (rule != null && rule.equals(openRule)) {
      openScore = Math.max(openScore, Math.abs(step.z()));
    } else if (rule == null && isControlRule(openRule)) {
      close(ts, rules, sink);
    }
  }

  private static boolean isControlRule(String rule) {
    return Anomaly.WE2.equals(rule) || Anomaly.WE3.equals(rule) || Anomaly.WE4.equals(rule);
  }

  private void drift(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    boolean armed = repeatRate.getOrDefault(state, 1.0) < 0.2 && ts - stateSince >= DRIFT_SETTLE_MS;
    DriftCusum.Step step = drift.add(state, armed, value, rules);
    // The CUSUM ends only the drifts it raised itself.
    boolean own = Anomaly.DRIFT.equals(openRule) && openedBy == null;
    if (!step.armed()) {
      if (own) {
        close(ts, rules, sink);
      }
      return;
    }
    if (step.judged()) {
      double cusum = step.cusum();
      if (cusum > rules.driftThreshold() && rules.has(AnomalyRule.DRIFT) && openRule == null) {
        open(Anomaly.DRIFT, ts, cusum);
        raise(rules, sink);
      } else if (own) {
        openScore = Math.max(openScore, cusum);
        if (cusum == 0) {
          close(ts, rules, sink);
        }
      }
    }
    if (!Anomaly.DRIFT.equals(openRule)) {
      drift.learn(state, value);
    }
  }

  /**
   * Feeds the sample to the level check, and opens or closes what it says: a shift or drift is
   * raised once the level has been off for {@link LevelCheck#CONFIRM} subgroups, dated from the
   * first, and ends when the level is back.
   */
  private void level(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    LevelCheck.Verdict v = level.add(state, stateSince, ts, value, openRule == null);
    if (v == null) {
      return;
    }
    if (v.normal()) {
      if (BY_LEVEL.equals(openedBy)) {
        close(ts, rules, sink);
      }
      return;
    }
    if (v.rule() == null) {
      return;
    }
    if (openRule == null && rules.has(AnomalyRule.fromWire(v.rule()))) {
      open(v.rule(), v.firstOff(), Math.abs(v.z()));
      openedBy = BY_LEVEL;
      raise(rules, sink);
    } else if (BY_LEVEL.equals(openedBy)) {
      openScore = Math.max(openScore, Math.abs(v.z()));
    }
  }

  /**
   * Feeds a normal sample to the trend check: a drift is raised when a window's slope is {@link
   * TrendCheck#Z} spreads steeper than the state's usual one, dated from the window's start, and
   * ends when a window's slope is usual again. Windows gather only while nothing else is open.
   */
  private void trend(
      MachineState state, long stateSince, long ts, double value, SignalRules rules, Sink sink) {
    if (openRule != null && !BY_TREND.equals(openedBy)) {
      slope.reset();
      return;
    }
    TrendCheck.Verdict v = slope.add(state, stateSince, ts, value, periodMs);
    if (v == null) {
      return;
    }
    boolean steep = Math.abs(v.z()) >= TrendCheck.Z;
    if (steep && openRule == null && rules.has(AnomalyRule.DRIFT)) {
      open(Anomaly.DRIFT, v.start(), Math.abs(v.z()));
      openedBy = BY_TREND;
      openSlopePerHour = v.slopePerHour();
      raise(rules, sink);
    } else if (steep && BY_TREND.equals(openedBy)) {
      openScore = Math.max(openScore, Math.abs(v.z()));
    } else if (!steep && BY_TREND.equals(openedBy) && Math.abs(v.z()) < 2) {
      // Well back within the usual slopes, not just below the alarm.
      close(ts, rules, sink);
    }
  }

  /** Whether {@code value} is much nearer the usual level of {@code state} than the last one. */
  private boolean backToUsual(MachineState state, double value) {
    return Math.abs(level.offset(state, value)) < 0.5 * Math.abs(level.offset(state, last));
  }

  private void open(String rule, long start, double score) {
    openRule = rule;
    openStart = start;
    openScore = score;
  }

  /**
   * Raises the anomaly just opened while it lasts (end {@link Anomaly#ONGOING}), so that a plant
   * engineer learns of a stuck sensor or a drift when it begins, not when it is over; it is
   * reported again, with its end, when it closes. An outlier is reported only when it closes: it
   * lasts a few samples, and until then it may yet turn out to be a level shift.
   */
  private void raise(SignalRules rules, Sink sink) {
    if (reported(rules)) {
      sink.report(openRule, openScore, openStart, Anomaly.ONGOING, sentence());
    }
  }

  private boolean reported(SignalRules rules) {
    return !(Anomaly.OUTLIER.equals(openRule) && !rules.has(AnomalyRule.OUTLIER))
        && !(Anomaly.SHIFT.equals(openRule) && !rules.has(AnomalyRule.SHIFT));
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
    if (reported(rules)) {
      sink.report(openRule, openScore, openStart, Math.max(end, openStart + 1), sentence());
    }
    openRule = null;
    openedBy = null;
    outlierRun = 0;
  }

  private void restart(double value, long ts) {
    last = value;
    previous = value;
    lastTs = ts;
    trend = 0;
    repeats = 0;
    outlierRun = 0;
  }

  private String sentence() {
    if (BY_LEVEL.equals(openedBy) && Anomaly.SHIFT.equals(openRule)) {
      return AnomalySentences.levelShift(signal, openScore);
    }
    if (BY_TREND.equals(openedBy)) {
      return AnomalySentences.creep(signal, openSlopePerHour);
    }
    return AnomalySentences.of(AnomalyRule.fromWire(openRule), signal, openScore, openPeriodMs);
  }
}
