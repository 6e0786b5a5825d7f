package io.gemba.jobs.records;

import io.gemba.model.oee.OeeTotals;

/**
 * OEE of a machine, line or factory from the start of its shift up to {@code asOf}: the sums of its
 * minutes, with the shift's planned time before {@code asOf} that no minute reported counted as
 * unknown.
 *
 * @param scope {@code machine}, {@code line} or {@code factory}
 * @param line the line, for machine and line scope; empty for a factory
 * @param shift the shift's name in the factory's calendar
 * @param shiftStart when this occurrence of the shift began
 * @param shiftEnd when it ends
 * @param asOf the end of the latest minute in the sums
 */
public record ShiftToDate(
    String scope,
    String id,
    String factory,
    String line,
    String shift,
    long shiftStart,
    long shiftEnd,
    long asOf,
    OeeTotals totals) {}
