package io.gemba.jobs.records;

/**
 * That an envelope of {@code gateway} with sequence number {@code seq} of {@code session} arrived;
 * for gap detection.
 *
 * @param session the gateway's session, or -1 for a version-1 envelope, which has none
 */
public record EnvelopeSeen(String gateway, long session, long seq, long sentAt) {}
