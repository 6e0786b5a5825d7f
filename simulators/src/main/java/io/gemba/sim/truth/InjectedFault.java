package io.gemba.sim.truth;

import io.gemba.model.asset.Fault;

/**
 * A fault injected into a machine, with its exact bounds in simulated time.
 *
 * @param variable the machine variable it affects; empty for a clock skew
 */
public record InjectedFault(String machine, String variable, Fault fault, long start, long end) {}
