package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;

/**
 * Optional Sparkplug B output beside the envelopes: the gateway as an edge node, each machine as a
 * device.
 *
 * @param groupId the Sparkplug group id
 * @param edgeNode the edge node id; default the gateway id
 */
public record SparkplugOutput(String groupId, String edgeNode) {
  public SparkplugOutput {
    requireLevel("groupId", groupId);
    if (edgeNode != null) {
      requireLevel("edgeNode", edgeNode);
    }
  }

  private static void requireLevel(String field, String value) {
    requireText(field, value);
    if (value.contains("/") || value.contains("+") || value.contains("#")) {
      throw new InvalidFieldException(
          field, "expected one MQTT topic level without / + #, got '" + value + "'");
    }
  }
}
