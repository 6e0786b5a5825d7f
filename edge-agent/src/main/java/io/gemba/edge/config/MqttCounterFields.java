package io.gemba.edge.config;

import io.gemba.model.config.InvalidFieldException;

/**
 * The payload fields holding the cumulative part counters.
 *
 * @param rollover the counters' modulus when the device's counters wrap (65536 for 16-bit), or
 *     absent
 */
public record MqttCounterFields(String total, String good, Long rollover) {
  public MqttCounterFields {
    JsonPath.compile("total", total);
    JsonPath.compile("good", good);
    if (rollover != null && rollover < 2) {
      throw new InvalidFieldException(
          "rollover", "expected a modulus of 2 or more, got " + rollover);
    }
  }
}
