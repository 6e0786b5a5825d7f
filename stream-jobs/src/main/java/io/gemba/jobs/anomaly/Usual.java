package io.gemba.jobs.anomaly;

import java.io.Serializable;

/**
 * What is usual for a figure of a signal in one machine state (a subgroup's mean, a window's
 * slope): its mean and variance, learnt from the values judged normal. The first {@code warmUp}
 * values weigh alike (a running mean and variance); later ones are weighted exponentially by {@code
 * alpha}, so that the usual follows slow changes of the plant.
 */
final class Usual implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int warmUp;
  private final double alpha;
  private int count;
  private double mean;
  private double variance;

  Usual(int warmUp, double alpha) {
    this.warmUp = warmUp;
    this.alpha = alpha;
  }

  /** Whether {@code warmUp} values were learnt. */
  boolean ready() {
    return count >= warmUp;
  }

  double mean() {
    return mean;
  }

  double variance() {
    return variance;
  }

  void learn(double value) {
    if (count == 0) {
      mean = value;
    }
    double deviation = value - mean;
    double weight = count < warmUp ? 1.0 / (count + 1) : alpha;
    count++;
    mean += weight * deviation;
    variance += weight * (deviation * deviation - variance);
  }

  /** Takes {@code value} as the usual mean from now on, keeping the spread. */
  void moveTo(double value) {
    mean = value;
  }
}
