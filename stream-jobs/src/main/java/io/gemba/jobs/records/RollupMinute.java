package io.gemba.jobs.records;

import io.gemba.model.oee.OeeTotals;

/**
 * OEE of a line, a factory or the park for one event-time minute: the sums of its machines' times
 * and counts ({@link OeeTotals}), from which the figures are computed once — never an average of
 * the machines' ratios. A machine of the scope that reported nothing for the minute adds its
 * planned time as time with an unknown state, which lowers the coverage.
 *
 * @param scope {@code line}, {@code factory} or {@code park}
 * @param id the line's id (unique within its factory), the factory's, or the park's
 * @param factory the factory, for line and factory scope; empty for the park
 * @param machines machines in the scope
 * @param reporting machines whose minute is in the sums
 */
public record RollupMinute(
    String scope,
    String id,
    String factory,
    long start,
    long end,
    OeeTotals totals,
    int machines,
    int reporting) {}
