package io.gemba.api.store;

/**
 * One stored anomaly.
 *
 * @param acknowledgedBy the user who acknowledged it, or null
 * @param acknowledgedAt when, epoch ms; 0 if not acknowledged
 */
public record AnomalyRow(
    String factory,
    String line,
    String machine,
    String signal,
    String rule,
    long start,
    long end,
    double score,
    String message,
    String acknowledgedBy,
    long acknowledgedAt) {}
