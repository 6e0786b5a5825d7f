package io.gemba.edge.southbound.opcua;

import io.gemba.edge.southbound.PartCounters;
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
    PartCounters.require(total, good, reject, rollover, NodeIds::require);
  }

  /** The node of the quality counter: good parts, or rejected parts. */
  public String quality() {
    return good != null ? good : reject;
  }

  /** Which counter {@link #quality()} is. */
  public Counter qualityCounter() {
    return PartCounters.qualityCounter(good);
  }
}
