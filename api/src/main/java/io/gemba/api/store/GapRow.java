package io.gemba.api.store;

/** Envelopes of a gateway that never reached the KPI job. */
public record GapRow(String gateway, long revealedAt, long fromSeq, long toSeq, long missing) {}
