package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.AnomalyRule;
import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.asset.MachineState;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * An X-bar chart of one signal per machine state, judged by the Western Electric rules 2–4: means
 * of {@link #SUBGROUP_MS} subgroups against the state's usual mean and spread of such means,
 * learnt, once the state has settled ({@link SignalMonitor#DRIFT_SETTLE_MS}), from {@link #WARM_UP}
 * subgroups in control. A subgroup never spans a state change or the settling after one.
 */
final class ControlChart implements Serializable {

  private static final long serialVersionUID = 1L;

  static final long SUBGROUP_MS = 10_000;
  static final int WARM_UP = 30;
  static final double ALPHA = 0.02;

  /**
   * What one sample did.
   *
   * @param reset the subgroups started over (state change or settling): an open rule has ended
   * @param closed a subgroup closed and was judged
   * @param rule the rule its mean broke ({@code we2}, {@code we3}, {@code we4}), or null
   * @param z the subgroup mean's z-score
   */
  record Step(boolean reset, boolean closed, String rule, double z) {
    static final Step NONE = new Step(false, false, null, 0);
    static final Step RESET = new Step(true, false, null, 0);
  }

  /** Per state, the usual subgroup mean and its spread: the chart's centre line and limits. */
  private final Map<MachineState, Usual> chart = new HashMap<>();

  private long subgroupStart = Long.MIN_VALUE;
  private double subgroupSum;
  private int subgroupCount;

  /** The latest subgroup means' z-scores, newest last. */
  private final double[] recentZ = new double[8];

  private int recentCount;

  /** Adds the sample to its subgroup; a full subgroup's mean is judged by rules 2–4. */
  Step add(MachineState state, long stateSince, long ts, double value, SignalRules rules) {
    boolean settled = ts - stateSince >= SignalMonitor.DRIFT_SETTLE_MS;
    boolean reset = false;
    if (!settled || (subgroupStart != Long.MIN_VALUE && subgroupStart < stateSince)) {
      subgroupStart = Long.MIN_VALUE;
      recentCount = 0;
      reset = true;
      if (!settled) {
        return Step.RESET;
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
      return reset ? Step.RESET : Step.NONE;
    }
    double mean = subgroupSum / subgroupCount;
    subgroupStart = ts;
    subgroupSum = 0;
    subgroupCount = 0;
    Usual c = chart.computeIfAbsent(state, k -> new Usual(WARM_UP, ALPHA));
    boolean ready = c.ready() && c.variance() > 1e-12;
    double z = ready ? (mean - c.mean()) / Math.sqrt(c.variance()) : 0;
    String rule = ready ? violated(z, rules) : null;
    if (rule == null) {
      // The chart's centre line and spread, learnt from subgroups in control.
      c.learn(mean);
    }
    return new Step(reset, true, rule, z);
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
}
