package io.gemba.api.store;

/**
 * A span of time a machine spent in one state.
 *
 * @param start epoch ms, clipped to the range asked for
 * @param end epoch ms, clipped to the range asked for
 * @param reason the stop reason the machine gave, or null
 */
public record StateSpan(long start, long end, String state, String reason) {}
