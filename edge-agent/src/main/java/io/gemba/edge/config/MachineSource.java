package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.edge.southbound.modbus.ModbusSource;
import io.gemba.edge.southbound.mqtt.MqttMachineSource;
import io.gemba.edge.southbound.opcua.OpcUaSource;
import io.gemba.edge.southbound.sparkplug.SparkplugSource;
import io.gemba.model.config.InvalidFieldException;

/**
 * A machine the gateway reads, where it sits on the factory's lines, and how it is read: over OPC
 * UA, from JSON MQTT messages, from a Sparkplug B edge node, or over Modbus TCP (exactly one of the
 * four).
 *
 * @param id the machine id in the park file
 * @param line the line id in the park file
 */
public record MachineSource(
    String id,
    String line,
    OpcUaSource opcua,
    MqttMachineSource mqtt,
    SparkplugSource sparkplug,
    ModbusSource modbus) {
  public MachineSource {
    requireId("id", id);
    requireId("line", line);
    int sources =
        (opcua != null ? 1 : 0)
            + (mqtt != null ? 1 : 0)
            + (sparkplug != null ? 1 : 0)
            + (modbus != null ? 1 : 0);
    if (sources != 1) {
      throw new InvalidFieldException(
          "opcua", "expected exactly one source for the machine: opcua, mqtt, sparkplug or modbus");
    }
  }
}
