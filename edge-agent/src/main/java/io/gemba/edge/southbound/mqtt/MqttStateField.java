package io.gemba.edge.southbound.mqtt;

import io.gemba.model.asset.MachineState;
import io.gemba.model.config.InvalidFieldException;
import java.util.Map;

/**
 * The payload field holding the machine's state and what its values mean, e.g. {@code { path:
 * $.state, map: { RUN: producing, STOP: idle, FAULT: down } }}. Numbers and texts are both matched
 * by their text. A value not in the map is reported as {@code unknown}. {@code reason}, optional,
 * is the path of the stop reason (a text or a code).
 */
public record MqttStateField(String path, Map<String, MachineState> map, String reason) {
  public MqttStateField {
    JsonPath.compile("path", path);
    if (reason != null) {
      JsonPath.compile("reason", reason);
    }
    if (map == null || map.isEmpty()) {
      throw new InvalidFieldException(
          "map", "expected payload values mapped to states, e.g. { RUN: producing, STOP: idle }");
    }
    map = Map.copyOf(map);
  }

  public MachineState stateOf(String value) {
    return map.getOrDefault(value, MachineState.UNKNOWN);
  }
}
