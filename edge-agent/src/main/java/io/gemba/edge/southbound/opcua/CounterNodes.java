package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.envelope.Counter;

/**
 * The nodes holding the machine's cumulative part counters: total parts, and either good parts or
 * rejected parts.
 *
 * @param rollover the counters' modulus when they wrap; by default taken from the node's data type
 *     (Byte/SByte 256, UInt16/Int16 65536, UInt32/Int32 4294967296; signed counters are read as
 *     unsigned), none for 64-bit counters
 */
public record CounterNodes(String total, String good, String reject, Long rollover) {
  public CounterNodes {
    NodeIds.require("total", total);
    if ((good == null) == (reject == null)) {
      throw new InvalidFieldException(
          "good", "expected exactly one of good (good parts) or reject (rejected parts)");
    }
    NodeIds.require(good != null ? "good" : "reject", good != null ? good : reject);
    if (rollover != null && rollover < 2) {
      throw new InvalidFieldException(
          "rollover", "expected a modulus of 2 or more, got " + rollover);
    }
  }

  /** The node of the quality counter: good parts, or rejected parts. */
  public String quality() {
    return good != null ? good : reject;
  }

  /** Which counter {@link #quality()} is. */
  public Counter qualityCounter() {
    return good != null ? Counter.GOOD : Counter.REJECT;
  }
}
