package io.gemba.api.store;

/** A signal's samples in one time bucket: their mean, smallest and largest value and count. */
public record SignalBucket(long start, double mean, double min, double max, long count) {}
