package io.gemba.edge.southbound.modbus;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The four data tables of a Modbus device, each read with its own function code. Coils and discrete
 * inputs hold bits; holding and input registers hold 16-bit words.
 */
public enum ModbusTable {
  /** Read/write bits, function code 1 (the agent only reads them). */
  COIL(true, 2000),
  /** Read-only bits, function code 2. */
  DISCRETE(true, 2000),
  /** Read/write registers, function code 3 (the agent only reads them). */
  HOLDING(false, 125),
  /** Read-only registers, function code 4. */
  INPUT(false, 125);

  private final boolean bits;
  private final int maxPerRequest;

  ModbusTable(boolean bits, int maxPerRequest) {
    this.bits = bits;
    this.maxPerRequest = maxPerRequest;
  }

  /** Whether the table holds bits (coils, discrete inputs) rather than registers. */
  public boolean bits() {
    return bits;
  }

  /** The most bits or registers one read request may ask for (Modbus application protocol). */
  public int maxPerRequest() {
    return maxPerRequest;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
