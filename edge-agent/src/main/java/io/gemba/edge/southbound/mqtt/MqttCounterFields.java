package io.gemba.edge.southbound.mqtt;

import io.gemba.edge.southbound.PartCounters;
import io.gemba.model.envelope.Counter;

/**
 * The payload fields holding the cumulative part counters.
 *
 * @param rollover the counters' modulus when the device's counters wrap (65536 for 16-bit), or
 *     absent
 */
public record MqttCounterFields(String total, String good, String reject, Long rollover) {
  public MqttCounterFields {
    PartCounters.require(total, good, reject, rollover, JsonPath::compile);
  }

  /** The path of the quality counter: good parts, or rejected parts. */
  public String quality() {
    return good != null ? good : reject;
  }

  /** Which counter {@link #quality()} is. */
  public Counter qualityCounter() {
    return PartCounters.qualityCounter(good);
  }
}
