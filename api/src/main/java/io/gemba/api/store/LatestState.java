package io.gemba.api.store;

/**
 * A machine's latest known state.
 *
 * @param since when the machine entered it, epoch ms
 */
public record LatestState(String machine, String state, long since, String reason) {}
