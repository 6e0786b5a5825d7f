package io.gemba.api.store;

/**
 * Envelopes of a gateway that never reached the KPI job.
 *
 * @param session the gateway's session the numbers belong to; -1 for version-1 envelopes
 */
public record GapRow(
    String gateway, long session, long revealedAt, long fromSeq, long toSeq, long missing) {}
