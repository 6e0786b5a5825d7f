package io.gemba.edge.southbound.modbus;

import io.gemba.edge.southbound.PartCounters;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.envelope.Counter;

/**
 * The registers holding the machine's cumulative part counters: total, and either good or rejected
 * parts.
 *
 * @param rollover the counters' modulus when they wrap; by default the type's width (65536 for 16
 *     bits, 4294967296 for 32 bits, none for 64 bits)
 * @param since optional register with the device's time of its last count, as for the state's
 * @param group the polling group that reads the counters
 */
public record ModbusCounters(
    ModbusPoint total,
    ModbusPoint good,
    ModbusPoint reject,
    ModbusPoint since,
    Long rollover,
    String group) {
  public ModbusCounters {
    PartCounters.require(total, good, reject, rollover, ModbusCounters::requireCount);
    Clocks.require("since", since);
  }

  private static void requireCount(String field, ModbusPoint point) {
    if (point == null) {
      throw new InvalidFieldException(field, "expected the register of the counter");
    }
    if (point.table().bits() || point.bit() != null || !point.type().integer()) {
      throw new InvalidFieldException(
          field, "expected a register of an integer type for a counter, got " + point);
    }
    if (!point.unscaled()) {
      throw new InvalidFieldException(field, "a counter counts parts: no scale or offset");
    }
  }

  /** The register of the quality counter: good parts, or rejected parts. */
  public ModbusPoint quality() {
    return good != null ? good : reject;
  }

  /** Which counter {@link #quality()} is. */
  public Counter qualityCounter() {
    return PartCounters.qualityCounter(good);
  }

  /** The modulus of {@code point}'s counter: {@code rollover}, or its type's width. */
  public Long modulusOf(ModbusPoint point) {
    return rollover != null ? rollover : point.type().modulus();
  }
}
