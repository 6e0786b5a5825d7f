package io.gemba.sim.cnc;

/**
 * A new value for one of a simulated machine's variables, with the simulated time it was measured
 * at.
 *
 * @param variable the variable's name on the machine, e.g. {@code Spindle.Speed}
 * @param value a {@link Double}, {@link Integer} or {@link Long}
 */
public record NodeUpdate(String variable, Object value, long ts) {}
