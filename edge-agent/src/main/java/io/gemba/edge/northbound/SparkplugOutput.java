package io.gemba.edge.northbound;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;

/**
 * Optional Sparkplug B output beside the envelopes: the gateway as an edge node, each machine as a
 * device.
 *
 * @param groupId the Sparkplug group id
 * @param edgeNode the edge node id; default the gateway id
 * @param username the broker user of the output's own connection; default the uplink's user. A
 *     broker that ties client ids to user names (Gemba's plant broker) needs a user of its own here
 * @param passwordFile that user's password file; default the uplink's
 */
public record SparkplugOutput(
    String groupId, String edgeNode, String username, java.nio.file.Path passwordFile) {
  public SparkplugOutput {
    requireLevel("groupId", groupId);
    if (edgeNode != null) {
      requireLevel("edgeNode", edgeNode);
    }
    if (passwordFile != null && username == null) {
      throw new InvalidFieldException("username", "expected a user name with passwordFile");
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
