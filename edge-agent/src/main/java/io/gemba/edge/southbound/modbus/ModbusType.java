package io.gemba.edge.southbound.modbus;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the registers of a point are read as a number. */
public enum ModbusType {
  /** One bit: a coil, a discrete input, or a bit of a register. */
  BOOL(0, false),
  INT16(1, true),
  UINT16(1, true),
  INT32(2, true),
  UINT32(2, true),
  INT64(4, true),
  UINT64(4, true),
  FLOAT32(2, false),
  FLOAT64(4, false);

  private final int registers;
  private final boolean integer;

  ModbusType(int registers, boolean integer) {
    this.registers = registers;
    this.integer = integer;
  }

  /** Registers the value spans; 0 for a bit. */
  public int registers() {
    return registers;
  }

  /** Whether the type holds whole numbers, as counters need. */
  public boolean integer() {
    return integer;
  }

  /**
   * The modulus at which a counter of this type wraps, read as unsigned: 65536 for 16 bits,
   * 4294967296 for 32 bits; null for 64 bits, whose counters do not wrap in a machine's life.
   */
  public Long modulus() {
    return switch (registers) {
      case 1 -> 1L << 16;
      case 2 -> 1L << 32;
      default -> null;
    };
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
