package io.gemba.edge.config;

/** The payload fields holding the cumulative part counters. */
public record MqttCounterFields(String total, String good) {
  public MqttCounterFields {
    JsonPath.compile("total", total);
    JsonPath.compile("good", good);
  }
}
