package io.gemba.model.oee;

/**
 * The times and counts OEE is computed from. They are sums, so a rollup over machines or over
 * windows adds inputs and computes figures once, never averaging ratios.
 *
 * @param plannedMs planned production time: window time minus time outside shifts and planned stops
 * @param runMs time the machine was producing within planned production time
 * @param totalCount parts finished in the window, good or not
 * @param goodCount parts finished in the window that passed quality checks
 * @param idealCycleMs ideal time per part; for a rollup, use {@link #fullyProductiveMs} sums
 *     instead
 */
public record OeeInputs(
    long plannedMs, long runMs, long totalCount, long goodCount, double idealCycleMs) {
  public OeeInputs {
    if (plannedMs < 0 || runMs < 0 || totalCount < 0 || goodCount < 0) {
      throw new IllegalArgumentException(
          "times and counts must not be negative: planned="
              + plannedMs
              + " run="
              + runMs
              + " total="
              + totalCount
              + " good="
              + goodCount);
    }
    if (goodCount > totalCount) {
      throw new IllegalArgumentException(
          "good count " + goodCount + " exceeds total count " + totalCount);
    }
    if (!(idealCycleMs > 0)) {
      throw new IllegalArgumentException("ideal cycle time must be positive: " + idealCycleMs);
    }
  }

  /** Time the good parts would have taken at the ideal cycle time. */
  public double fullyProductiveMs() {
    return idealCycleMs * goodCount;
  }

  /** Time all parts would have taken at the ideal cycle time. */
  public double netRunMs() {
    return idealCycleMs * totalCount;
  }
}
