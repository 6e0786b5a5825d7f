package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;

/**
 * A signal read from one node.
 *
 * @param name the signal name in envelopes, as in the park file
 * @param node the NodeId, e.g. {@code ns=2;s=Spindle.Speed}
 * @param samplingMs how often the server samples the node (default 100)
 * @param deadband optional; changes within it are not reported
 * @param queueSize samples the server keeps for the node between two publishes (default 10), so a
 *     publishing interval longer than the sampling interval loses no sample
 * @param discardOldest when that queue is full, drop the oldest sample (default true) or the newest
 * @param poll read the node every {@code samplingMs} instead of subscribing (default false); the
 *     agent also polls, by itself, nodes the server refuses to monitor
 */
public record SignalNode(
    String name,
    String node,
    Integer samplingMs,
    Deadband deadband,
    Integer queueSize,
    Boolean discardOldest,
    Boolean poll) {
  /** Queue size of monitored items unless configured. */
  public static final int DEFAULT_QUEUE_SIZE = 10;

  /** A subscribed signal with the default queue. */
  public static SignalNode of(String name, String node, int samplingMs, Deadband deadband) {
    return new SignalNode(name, node, samplingMs, deadband, null, null, null);
  }

  public SignalNode {
    Names.requireSignal("name", name);
    NodeIds.require("node", node);
    samplingMs = samplingMs == null ? 100 : samplingMs;
    if (samplingMs < 0) {
      throw new InvalidFieldException("samplingMs", "expected 0 or more, got " + samplingMs);
    }
    queueSize = queueSize == null ? DEFAULT_QUEUE_SIZE : queueSize;
    if (queueSize < 1 || queueSize > 10_000) {
      throw new InvalidFieldException("queueSize", "expected 1 to 10000, got " + queueSize);
    }
    discardOldest = discardOldest == null ? Boolean.TRUE : discardOldest;
    poll = poll == null ? Boolean.FALSE : poll;
    if (poll && samplingMs < 10) {
      throw new InvalidFieldException(
          "samplingMs", "expected at least 10 ms for a polled node, got " + samplingMs);
    }
  }
}
