package io.gemba.jobs.records;

/**
 * That an envelope of {@code gateway} with sequence number {@code seq} arrived; for gap detection.
 */
public record EnvelopeSeen(String gateway, long seq, long sentAt) {}
