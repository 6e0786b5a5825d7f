package io.gemba.edge.southbound.modbus;

import io.gemba.model.config.InvalidFieldException;
import java.nio.ByteBuffer;

/**
 * Where a value sits in a device and how to read it: a bit (a coil, a discrete input, or bit {@code
 * bit} of a register) or a number spanning one to four registers.
 *
 * @param table coil, discrete, holding or input
 * @param address the zero-based address on the wire (register 40001 of the old notation is holding
 *     0)
 * @param type for registers; uint16 when absent, bool for coils and discrete inputs
 * @param order how a multi-register value is laid out; ABCD when absent
 * @param bit read one bit (0 = least significant) of a 16-bit register as 0 or 1
 * @param scale multiplies the number read (default 1)
 * @param offset added after scaling (default 0)
 */
public record ModbusPoint(
    ModbusTable table,
    Integer address,
    ModbusType type,
    RegisterOrder order,
    Integer bit,
    Double scale,
    Double offset) {
  public ModbusPoint {
    if (table == null) {
      throw new InvalidFieldException("table", "expected one of coil, discrete, holding, input");
    }
    if (address == null || address < 0 || address > 65535) {
      throw new InvalidFieldException("address", "expected 0 to 65535, got " + address);
    }
    if (table.bits()) {
      if (type != null && type != ModbusType.BOOL) {
        throw new InvalidFieldException(
            "type",
            "a " + table.wireName() + " holds one bit: expected bool, got " + type.wireName());
      }
      if (bit != null) {
        throw new InvalidFieldException(
            "bit", "only for registers: a " + table.wireName() + " is a bit already");
      }
      type = ModbusType.BOOL;
    } else if (bit != null) {
      if (bit < 0 || bit > 15) {
        throw new InvalidFieldException("bit", "expected 0 to 15, got " + bit);
      }
      if (type != null && type.registers() != 1) {
        throw new InvalidFieldException(
            "type",
            "a bit is read from one 16-bit register: expected uint16, got " + type.wireName());
      }
      type = ModbusType.UINT16;
    } else if (type == null) {
      type = ModbusType.UINT16;
    } else if (type == ModbusType.BOOL) {
      throw new InvalidFieldException("bit", "a bool in a register needs the bit it is, 0 to 15");
    }
    if (address + words(table, type) - 1 > 65535) {
      throw new InvalidFieldException(
          "address", "the value's " + type.registers() + " registers end past 65535");
    }
    order = order == null ? RegisterOrder.ABCD : order;
    scale = scale == null ? 1.0 : scale;
    offset = offset == null ? 0.0 : offset;
    if (!Double.isFinite(scale) || scale == 0) {
      throw new InvalidFieldException(
          "scale", "expected a finite number other than 0, got " + scale);
    }
    if (!Double.isFinite(offset)) {
      throw new InvalidFieldException("offset", "expected a finite number, got " + offset);
    }
  }

  /** A point with default order, scale and offset. */
  public static ModbusPoint of(ModbusTable table, int address, ModbusType type) {
    return new ModbusPoint(table, address, type, null, null, null, null);
  }

  /** Bits or registers the point spans: 1 for a bit of any table. */
  public int span() {
    return words(table, type);
  }

  private static int words(ModbusTable table, ModbusType type) {
    return table.bits() ? 1 : Math.max(1, type.registers());
  }

  /** Whether scale and offset leave the number as read. */
  public boolean unscaled() {
    return scale == 1.0 && offset == 0.0;
  }

  /**
   * The value, scaled, from a response: {@code data} holds the registers (two bytes each, as on the
   * wire) or the bits (least significant bit first) of a request that began at {@code start}. May
   * be NaN or infinite when a float register holds one.
   */
  public double decode(byte[] data, int start) {
    return raw(data, start) * scale + offset;
  }

  /** The number as read, before scale and offset. */
  double raw(byte[] data, int start) {
    int index = address - start;
    if (table.bits()) {
      return (data[index / 8] >> (index % 8)) & 1;
    }
    if (bit != null) {
      int word = ((data[2 * index] & 0xFF) << 8) | (data[2 * index + 1] & 0xFF);
      return (word >> bit) & 1;
    }
    ByteBuffer b = ByteBuffer.wrap(order.bigEndian(data, 2 * index, 2 * type.registers()));
    return switch (type) {
      case INT16 -> b.getShort();
      case UINT16 -> b.getShort() & 0xFFFF;
      case INT32 -> b.getInt();
      case UINT32 -> b.getInt() & 0xFFFF_FFFFL;
      case INT64 -> b.getLong();
      case UINT64 -> unsigned(b.getLong());
      case FLOAT32 -> b.getFloat();
      case FLOAT64 -> b.getDouble();
      case BOOL -> throw new IllegalStateException("bool without a bit");
    };
  }

  /**
   * The whole number the point holds, for counters and clocks: signed 16- and 32-bit registers are
   * read as unsigned, as counters that wrap are; null when it does not fit a long (a uint64 above
   * 2^63 - 1, a negative int64) or the type is not a whole number.
   */
  public Long whole(byte[] data, int start) {
    if (!type.integer()) {
      return null;
    }
    ByteBuffer b =
        ByteBuffer.wrap(order.bigEndian(data, 2 * (address - start), 2 * type.registers()));
    long v =
        switch (type.registers()) {
          case 1 -> b.getShort() & 0xFFFF;
          case 2 -> b.getInt() & 0xFFFF_FFFFL;
          default -> b.getLong();
        };
    return v < 0 ? null : v;
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  /** The point as it reads in a log line or an error: {@code holding 12 (float32 CDAB)}. */
  @Override
  public String toString() {
    return table.wireName()
        + " "
        + address
        + (bit != null ? "." + bit : "")
        + (table.bits() || bit != null ? "" : " (" + type.wireName() + " " + order + ")");
  }
}
