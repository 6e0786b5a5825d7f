package io.gemba.edge.config;

import io.gemba.model.config.InvalidFieldException;

/**
 * The nodes holding the machine's cumulative part counters.
 *
 * @param rollover the counters' modulus when they wrap; by default taken from the node's data type
 *     (Byte/SByte 256, UInt16/Int16 65536, UInt32/Int32 4294967296; signed counters are read as
 *     unsigned), none for 64-bit counters
 */
public record CounterNodes(String total, String good, Long rollover) {
  public CounterNodes {
    NodeIds.require("total", total);
    NodeIds.require("good", good);
    if (rollover != null && rollover < 2) {
      throw new InvalidFieldException(
          "rollover", "expected a modulus of 2 or more, got " + rollover);
    }
  }
}
