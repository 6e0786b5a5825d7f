package io.gemba.edge.southbound.modbus;

import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;

/**
 * A signal read from one point of the device, e.g. {@code { name: melt_temperature, table: input,
 * address: 0, type: float32, order: CDAB }}; the point's fields are those of {@link ModbusPoint}.
 *
 * @param group the polling group that reads it; the machine's default interval when absent
 * @param deadband changes smaller than this are not sent (default 0: every change is sent)
 */
public record ModbusSignal(
    String name,
    ModbusTable table,
    Integer address,
    ModbusType type,
    RegisterOrder order,
    Integer bit,
    Double scale,
    Double offset,
    String group,
    Double deadband) {
  public ModbusSignal {
    Names.requireSignal("name", name);
    new ModbusPoint(table, address, type, order, bit, scale, offset);
    deadband = deadband == null ? 0.0 : deadband;
    if (!(deadband >= 0) || Double.isInfinite(deadband)) {
      throw new InvalidFieldException("deadband", "expected 0 or more, got " + deadband);
    }
  }

  /** Where the signal is read. */
  public ModbusPoint point() {
    return new ModbusPoint(table, address, type, order, bit, scale, offset);
  }
}
