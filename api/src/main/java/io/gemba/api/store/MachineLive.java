package io.gemba.api.store;

import java.util.Map;

/**
 * The latest known state and signal values of a machine.
 *
 * @param state null when no state was ever stored
 * @param stateSince when the machine entered {@code state}, epoch ms
 */
public record MachineLive(String state, Long stateSince, Map<String, SignalSample> signals) {

  /** The newest stored value of one signal. */
  public record SignalSample(double value, long ts, String quality) {}
}
