package io.gemba.model.oee;

/**
 * The sums a rollup of OEE over machines or windows is computed from: times, counts, and the ideal
 * time of the parts (which folds in each machine's ideal cycle time). Figures are computed once
 * from the sums, so a rollup weighs every machine by its time and parts and is never an average of
 * ratios.
 *
 * @param netRunMs the sum of ideal cycle time × total parts
 * @param fullyProductiveMs the sum of ideal cycle time × good parts
 * @param times the sums of the state times
 * @param startupRejectMs the sum of ideal cycle time × startup rejects
 */
public record OeeTotals(
    long plannedMs,
    long runMs,
    long knownPlannedMs,
    long totalCount,
    long goodCount,
    double netRunMs,
    double fullyProductiveMs,
    StateTimes times,
    double startupRejectMs) {

  public static final OeeTotals ZERO = new OeeTotals(0, 0, 0, 0, 0, 0, 0, StateTimes.ZERO, 0);

  public OeeTotals {
    times = times == null ? StateTimes.ZERO : times;
  }

  /** The totals of one machine's window. */
  public static OeeTotals of(MachineOee oee) {
    OeeInputs in = oee.inputs();
    return new OeeTotals(
        in.plannedMs(),
        in.runMs(),
        oee.knownPlannedMs(),
        in.totalCount(),
        in.goodCount(),
        in.netRunMs(),
        in.fullyProductiveMs(),
        oee.times(),
        in.idealCycleMs() * oee.startupRejects());
  }

  /** Planned time with nothing known about it: a machine that reported nothing. */
  public static OeeTotals unknown(long plannedMs) {
    return new OeeTotals(plannedMs, 0, 0, 0, 0, 0, 0, StateTimes.ZERO, 0);
  }

  public OeeTotals plus(OeeTotals o) {
    return new OeeTotals(
        plannedMs + o.plannedMs,
        runMs + o.runMs,
        knownPlannedMs + o.knownPlannedMs,
        totalCount + o.totalCount,
        goodCount + o.goodCount,
        netRunMs + o.netRunMs,
        fullyProductiveMs + o.fullyProductiveMs,
        times.plus(o.times),
        startupRejectMs + o.startupRejectMs);
  }

  /** Where the known planned time went; see {@link SixBigLosses}. */
  public SixBigLosses losses() {
    return new SixBigLosses(
        times.unplannedStopMs(),
        times.setupMs() + times.plannedStopMs(),
        times.smallStopMs(),
        times.producingMs() - netRunMs,
        netRunMs - fullyProductiveMs - startupRejectMs,
        startupRejectMs);
  }

  /**
   * Availability, performance, quality and OEE of the sums; NaN where a denominator is zero.
   * Quality is the ideal time of the good parts over that of all parts, so that parts of slow and
   * fast machines weigh by their ideal time, and OEE stays availability × performance × quality.
   * For one machine it is good count over total count.
   */
  public OeeFigures figures() {
    return new OeeFigures(
        ratio(runMs, plannedMs),
        ratio(netRunMs, runMs),
        ratio(fullyProductiveMs, netRunMs),
        ratio(fullyProductiveMs, plannedMs));
  }

  /** Share of planned time with a known state; NaN when nothing was planned. */
  public double coverage() {
    return ratio(knownPlannedMs, plannedMs);
  }

  private static double ratio(double numerator, double denominator) {
    return denominator == 0 ? Double.NaN : numerator / denominator;
  }
}
