package io.gemba.sim.truth;

import io.gemba.model.oee.MachineOee;

/**
 * True times and counts summed over machines and minutes, and the figures of the sums, with the
 * definitions of docs/kpi-job.md written out here rather than taken from the platform's OEE code:
 * availability = run / planned, performance = Σ ideal cycle × total / run, quality = Σ ideal cycle
 * × good / Σ ideal cycle × total, OEE = Σ ideal cycle × good / planned, coverage = known planned /
 * planned. A figure whose denominator is zero is NaN.
 */
public record TruthSums(
    long plannedMs,
    long runMs,
    long knownPlannedMs,
    long totalCount,
    long goodCount,
    double netRunMs,
    double fullyProductiveMs,
    long producingMs,
    long idleMs,
    long downMs,
    long setupMs,
    long plannedStopMs,
    long smallStopMs) {

  public static final TruthSums ZERO = new TruthSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** The sums of one true machine minute (or shift). */
  public static TruthSums of(MachineOee m) {
    double ideal = m.inputs().idealCycleMs();
    return new TruthSums(
        m.inputs().plannedMs(),
        m.inputs().runMs(),
        m.knownPlannedMs(),
        m.inputs().totalCount(),
        m.inputs().goodCount(),
        ideal * m.inputs().totalCount(),
        ideal * m.inputs().goodCount(),
        m.times().producingMs(),
        m.times().idleMs(),
        m.times().downMs(),
        m.times().setupMs(),
        m.times().plannedStopMs(),
        m.times().smallStopMs());
  }

  public TruthSums add(TruthSums o) {
    return new TruthSums(
        plannedMs + o.plannedMs,
        runMs + o.runMs,
        knownPlannedMs + o.knownPlannedMs,
        totalCount + o.totalCount,
        goodCount + o.goodCount,
        netRunMs + o.netRunMs,
        fullyProductiveMs + o.fullyProductiveMs,
        producingMs + o.producingMs,
        idleMs + o.idleMs,
        downMs + o.downMs,
        setupMs + o.setupMs,
        plannedStopMs + o.plannedStopMs,
        smallStopMs + o.smallStopMs);
  }

  public double availability() {
    return share(runMs, plannedMs);
  }

  public double performance() {
    return share(netRunMs, runMs);
  }

  public double quality() {
    return share(fullyProductiveMs, netRunMs);
  }

  public double oee() {
    return share(fullyProductiveMs, plannedMs);
  }

  public double coverage() {
    return share(knownPlannedMs, plannedMs);
  }

  private static double share(double part, double whole) {
    return whole == 0 ? Double.NaN : part / whole;
  }
}
