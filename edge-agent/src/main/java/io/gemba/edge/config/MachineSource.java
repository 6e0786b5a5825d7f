package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.config.InvalidFieldException;

/**
 * A machine the gateway reads, where it sits on the factory's lines, and how it is read: over OPC
 * UA or from MQTT messages (exactly one of the two).
 *
 * @param id the machine id in the park file
 * @param line the line id in the park file
 */
public record MachineSource(String id, String line, OpcUaSource opcua, MqttMachineSource mqtt) {
  public MachineSource {
    requireId("id", id);
    requireId("line", line);
    if ((opcua == null) == (mqtt == null)) {
      throw new InvalidFieldException(
          "opcua", "expected exactly one source for the machine: opcua or mqtt");
    }
  }
}
