package io.gemba.jobs.records;

/** A machine's planned time not producing in one minute for one stop reason. */
public record StopReasonMinute(
    String factory, String line, String machine, long start, String reason, long ms) {}
