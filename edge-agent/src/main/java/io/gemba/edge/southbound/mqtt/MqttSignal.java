package io.gemba.edge.southbound.mqtt;

import io.gemba.model.config.Names;

/** A signal read from a JSON payload at {@code path}, e.g. {@code $.motor.current}. */
public record MqttSignal(String name, String path) {
  public MqttSignal {
    Names.requireSignal("name", name);
    JsonPath.compile("path", path);
  }
}
