package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * A two-sided CUSUM of a signal's deviation from the slow baseline of the machine's state, in units
 * of the state's learnt level spread. Until the state has settled the baseline follows the signal
 * closely (warm-up ramps are not drift); the level and its spread are learnt only while the monitor
 * sees nothing wrong ({@link #learn}).
 */
final class DriftCusum implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * What one sample gave.
   *
   * @param armed the state has settled and has a baseline; when not, the CUSUM started over
   * @param judged the spread is learnt, so {@code cusum} means something
   * @param cusum the larger of the upward and downward sums
   */
  record Step(boolean armed, boolean judged, double cusum) {
    static final Step DISARMED = new Step(false, false, 0);
    static final Step WARMING = new Step(true, false, 0);
  }

  private final Map<MachineState, Double> baseline = new HashMap<>();
  private final Map<MachineState, Double> levelVariance = new HashMap<>();
  private final Map<MachineState, Integer> levelSamples = new HashMap<>();
  private double up;
  private double down;

  Step add(MachineState state, boolean armed, double value, SignalRules rules) {
    Double mean = baseline.get(state);
    if (!armed || mean == null) {
      baseline.merge(state, value, (old, x) -> old + 0.05 * (x - old));
      up = 0;
      down = 0;
      return Step.DISARMED;
    }
    Double variance = levelVariance.get(state);
    int seen = levelSamples.getOrDefault(state, 0);
    if (variance == null || seen < SignalMonitor.DRIFT_WARM_UP || variance <= 1e-12) {
      return Step.WARMING;
    }
    double z = (value - mean) / Math.sqrt(variance);
    up = Math.max(0, up + z - rules.driftAllowance());
    down = Math.max(0, down - z - rules.driftAllowance());
    return new Step(true, true, Math.max(up, down));
  }

  /** Learns the state's level and spread from a sample of an armed state judged normal. */
  void learn(MachineState state, double value) {
    double mean = baseline.get(state);
    double deviation = value - mean;
    baseline.put(state, mean + SignalMonitor.BASELINE_ALPHA * deviation);
    levelVariance.merge(
        state, deviation * deviation, (old, x) -> old + SignalMonitor.BASELINE_ALPHA * (x - old));
    levelSamples.merge(state, 1, Integer::sum);
  }
}
