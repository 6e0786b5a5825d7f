package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;

/** A signal read from a JSON payload at {@code path}, e.g. {@code $.motor.current}. */
public record MqttSignal(String name, String path) {
  public MqttSignal {
    requireText("name", name);
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new InvalidFieldException("name", "expected snake_case, got '" + name + "'");
    }
    JsonPath.compile("path", path);
  }
}
