package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.config.InvalidFieldException;

/**
 * A machine the gateway reads, and where it sits on the factory's lines.
 *
 * @param id the machine id in the park file
 * @param line the line id in the park file
 */
public record MachineSource(String id, String line, OpcUaSource opcua) {
  public MachineSource {
    requireId("id", id);
    requireId("line", line);
    if (opcua == null) {
      throw new InvalidFieldException("opcua", "expected an opcua source for the machine");
    }
  }
}
