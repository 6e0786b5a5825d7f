package io.gemba.edge.southbound.modbus;

import io.gemba.model.config.InvalidFieldException;

/** Registers holding a time of the device: epoch milliseconds in 64 bits, or seconds in 32. */
final class Clocks {

  private Clocks() {}

  static void require(String field, ModbusPoint point) {
    if (point == null) {
      return;
    }
    int registers = point.type().registers();
    if (point.table().bits()
        || point.bit() != null
        || !point.type().integer()
        || registers == 1
        || !point.unscaled()) {
      throw new InvalidFieldException(
          field,
          "expected epoch milliseconds in a 64-bit or seconds in a 32-bit integer register,"
              + " unscaled, got "
              + point);
    }
  }

  /** Epoch milliseconds from the whole number {@code point} held. */
  static long millis(ModbusPoint point, long value) {
    return point.type().registers() == 2 ? value * 1000 : value;
  }
}
