package io.gemba.api.store;

/**
 * One stored OEE minute. Figures are null where undefined (no planned time, no run time, no parts),
 * never 0.
 */
public record OeePoint(
    long start,
    long end,
    Double availability,
    Double performance,
    Double quality,
    Double oee,
    Double coverage,
    long plannedMs,
    long runMs,
    long total,
    long good) {}
