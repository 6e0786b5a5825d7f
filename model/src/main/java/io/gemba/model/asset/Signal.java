package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;

/**
 * A measured quantity of a machine, e.g. {@code spindle_speed} in {@code rpm}.
 *
 * @param name the signal's name in envelopes and storage
 * @param unit the engineering unit, UCUM-style where one exists ({@code rpm}, {@code %}, {@code
 *     Cel})
 */
public record Signal(String name, String unit) {
  public Signal {
    requireText("name", name);
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new InvalidFieldException(
          "name", "expected snake_case letters, digits and '_', got '" + name + "'");
    }
    unit = unit == null ? "" : unit;
  }
}
