package io.gemba.api.store;

/** One stored anomaly. */
public record AnomalyRow(
    String factory,
    String line,
    String machine,
    String signal,
    String rule,
    long start,
    long end,
    double score,
    String message) {}
