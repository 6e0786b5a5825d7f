package io.gemba.edge.southbound.opcua;

import io.gemba.model.envelope.Quality;

/**
 * The agent's own check on a signal's changes, behind the server's: it drops a value equal to the
 * last one reported (same value, same quality), and, with an absolute deadband, a value within the
 * deadband of the last one reported. Servers that ignore deadband filters, or send a value again
 * with a new timestamp, then still do not fill the uplink with repeats. A percent deadband needs
 * the node's engineering range and is left to the server.
 */
final class SignalFilter {

  private final double absolute;
  private boolean seen;
  private double last;
  private Quality lastQuality;
  private long suppressed;

  SignalFilter(Deadband deadband) {
    this.absolute = deadband != null && deadband.absolute() != null ? deadband.absolute() : 0;
  }

  /** True when the value should be reported; then it becomes the reference for the next one. */
  synchronized boolean accept(double value, Quality quality) {
    boolean report =
        !seen
            || quality != lastQuality
            || Double.isNaN(value) != Double.isNaN(last)
            || (absolute > 0 ? Math.abs(value - last) > absolute : value != last);
    if (report) {
      seen = true;
      last = value;
      lastQuality = quality;
    } else {
      suppressed++;
    }
    return report;
  }

  synchronized long suppressed() {
    return suppressed;
  }
}
