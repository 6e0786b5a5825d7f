package io.gemba.edge.southbound.modbus;

/**
 * The order in which a device lays the bytes of a value over its registers, named by where the
 * bytes of a 32-bit value {@code A B C D} (A the most significant) end up on the wire. Modbus sends
 * each register high byte first; vendors disagree on the order of registers, and a few swap the
 * bytes within them. For 64-bit values the same rule extends to four registers.
 */
public enum RegisterOrder {
  /** Big-endian: most significant register first, high byte first (the protocol's own order). */
  ABCD,
  /** Least significant register first, high byte first in each (common in PLCs and meters). */
  CDAB,
  /** Most significant register first, bytes swapped within each register. */
  BADC,
  /** Little-endian throughout. */
  DCBA;

  /**
   * The value's bytes, most significant first, from {@code wire}: {@code length} bytes at {@code
   * offset} as they came in the response.
   */
  byte[] bigEndian(byte[] wire, int offset, int length) {
    byte[] out = new byte[length];
    int words = length / 2;
    for (int w = 0; w < words; w++) {
      boolean wordsReversed = this == CDAB || this == DCBA;
      boolean bytesSwapped = this == BADC || this == DCBA;
      int from = offset + 2 * (wordsReversed ? words - 1 - w : w);
      out[2 * w] = wire[from + (bytesSwapped ? 1 : 0)];
      out[2 * w + 1] = wire[from + (bytesSwapped ? 0 : 1)];
    }
    return out;
  }
}
