package io.gemba.edge.southbound.opcua;

import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import java.util.Map;

/**
 * The node holding the machine's state as an integer code, and what each code means. A code not in
 * the map is reported as state {@code unknown}.
 *
 * @param reason optional node holding the stop reason as text (or a code, sent as its text)
 */
public record StateNode(String node, Map<Integer, MachineState> map, String reason) {
  public StateNode {
    NodeIds.require("node", node);
    if (reason != null) {
      NodeIds.require("reason", reason);
    }
    if (map == null || map.isEmpty()) {
      throw new InvalidFieldException(
          "map", "expected codes mapped to states, e.g. { 1: producing, 2: idle, 3: down }");
    }
    map = Map.copyOf(map);
  }

  public MachineState stateOf(int code) {
    return map.getOrDefault(code, MachineState.UNKNOWN);
  }
}
