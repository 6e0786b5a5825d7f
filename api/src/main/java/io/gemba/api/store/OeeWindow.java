package io.gemba.api.store;

import io.gemba.model.oee.OeeTotals;

/**
 * The summed times and counts of one window {@code [start, end)}; figures are computed from them.
 *
 * @param label the shift's name for a shift window, else null
 */
public record OeeWindow(long start, long end, String label, OeeTotals totals) {}
