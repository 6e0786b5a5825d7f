package io.gemba.jobs.anomaly;

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
 * </ul>
 *
 * A state's usual step is learnt from samples at least {@link #SETTLE_MS} after the machine entered
 * it; nothing is judged in a state before {@link #WARM_UP} such samples, nor while settling.
 * Signals that mostly repeat their value in a state (counter-like, or at rest) are not judged in
 * it.
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

  /** Judges one sample; the machine is in {@code state} since {@code stateSince}. */
  public void observe(MachineState state, long stateSince, long ts, double value, Sink sink) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (lastTs != Long.MIN_VALUE && ts < lastTs - 1_000) {
      // The clock went back (the machine monitor reports it once): start over from here.
      close(ts, sink);
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
    lastTs = ts;
    if (Double.isNaN(last)) {
      last = value;
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

    if (judged && z > OUTLIER) {
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
        close(ts, sink);
        last = value;
      }
      return;
    }
    if (Anomaly.OUTLIER.equals(openRule) || Anomaly.SHIFT.equals(openRule)) {
      close(ts, sink);
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
    if (repeats >= STUCK_SAMPLES && judged && repeatingBeforeRun < 0.05 && openRule == null) {
      open(Anomaly.STUCK, ts - (long) (repeats * periodMs), repeats);
    } else if (repeats == 0 && Anomaly.STUCK.equals(openRule)) {
      close(ts, sink);
    }
    repeatRate.merge(state, same ? 1.0 : 0.0, (old, x) -> old + ALPHA * (x - old));
    if (!settling && repeats < 3) {
      // Learnt from settled, normal samples only: a state change's jump is not a usual step.
      step.merge(state, Math.abs(r), (old, x) -> old + ALPHA * (x - old));
      learnt.merge(state, 1, Integer::sum);
    }

    drift(state, stateSince, ts, value, sink);
    last = value;
  }

  private void drift(MachineState state, long stateSince, long ts, double value, Sink sink) {
    boolean armed = repeatRate.getOrDefault(state, 1.0) < 0.2 && ts - stateSince >= DRIFT_SETTLE_MS;
    Double mean = baseline.get(state);
    if (!armed || mean == null) {
      // Until the state has settled the baseline follows the signal closely (warm-up ramps).
      baseline.merge(state, value, (old, x) -> old + 0.05 * (x - old));
      cusumUp = 0;
      cusumDown = 0;
      if (Anomaly.DRIFT.equals(openRule)) {
        close(ts, sink);
      }
      return;
    }
    double deviation = value - mean;
    Double variance = levelVariance.get(state);
    int seen = levelSamples.getOrDefault(state, 0);
    if (variance != null && seen >= DRIFT_WARM_UP && variance > 1e-12) {
      double z = deviation / Math.sqrt(variance);
      cusumUp = Math.max(0, cusumUp + z - DRIFT_K);
      cusumDown = Math.max(0, cusumDown - z - DRIFT_K);
      double cusum = Math.max(cusumUp, cusumDown);
      if (cusum > DRIFT_H && openRule == null) {
        open(Anomaly.DRIFT, ts, cusum);
      } else if (Anomaly.DRIFT.equals(openRule)) {
        openScore = Math.max(openScore, cusum);
        if (cusum == 0) {
          close(ts, sink);
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
    if (openRule == null) {
      return;
    }
    sink.report(openRule, openScore, openStart, Math.max(end, openStart + 1), sentence());
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
      default -> signal + ": " + openRule;
    };
  }
}
