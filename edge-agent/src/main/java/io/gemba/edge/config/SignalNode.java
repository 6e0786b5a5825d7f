package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;

/**
 * A signal read from one node.
 *
 * @param name the signal name in envelopes, as in the park file
 * @param node the NodeId, e.g. {@code ns=2;s=Spindle.Speed}
 * @param samplingMs how often the server samples the node (default 100)
 * @param deadband optional; changes within it are not reported
 */
public record SignalNode(String name, String node, Integer samplingMs, Deadband deadband) {
  public SignalNode {
    requireText("name", name);
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new InvalidFieldException("name", "expected snake_case, got '" + name + "'");
    }
    NodeIds.require("node", node);
    samplingMs = samplingMs == null ? 100 : samplingMs;
    if (samplingMs < 0) {
      throw new InvalidFieldException("samplingMs", "expected 0 or more, got " + samplingMs);
    }
  }
}
