package io.gemba.edge.southbound;

/** Reads one machine and puts its readings into a {@code ReadingSink}, whatever the protocol. */
public interface MachineReader extends AutoCloseable {

  void start();

  String machineId();

  /** True while the machine's data is flowing in (subscription in place). */
  boolean isConnected();

  /** Seconds since the last data arrived; NaN before the first. */
  double lastValueAgeSeconds();

  /** Nodes read by polling because they cannot be subscribed to; 0 for sources that push. */
  default int polledNodes() {
    return 0;
  }

  @Override
  void close();
}
