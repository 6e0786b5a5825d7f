package io.gemba.edge.southbound.mqtt;

import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.envelope.Counter;

/**
 * The payload fields holding the cumulative part counters.
 *
 * @param rollover the counters' modulus when the device's counters wrap (65536 for 16-bit), or
 *     absent
 */
public record MqttCounterFields(String total, String good, String reject, Long rollover) {
  public MqttCounterFields {
    JsonPath.compile("total", total);
    if ((good == null) == (reject == null)) {
      throw new InvalidFieldException(
          "good", "expected exactly one of good (good parts) or reject (rejected parts)");
    }
    JsonPath.compile(good != null ? "good" : "reject", good != null ? good : reject);
    if (rollover != null && rollover < 2) {
      throw new InvalidFieldException(
          "rollover", "expected a modulus of 2 or more, got " + rollover);
    }
  }

  /** The path of the quality counter: good parts, or rejected parts. */
  public String quality() {
    return good != null ? good : reject;
  }

  /** Which counter {@link #quality()} is. */
  public Counter qualityCounter() {
    return good != null ? Counter.GOOD : Counter.REJECT;
  }
}
