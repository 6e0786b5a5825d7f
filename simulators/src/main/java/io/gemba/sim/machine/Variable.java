package io.gemba.sim.machine;

import java.util.Locale;

/**
 * One variable a simulated machine exposes, with how it is typed on the wire.
 *
 * @param name the variable's name on the machine, e.g. {@code Spindle.Speed}
 * @param type {@code DOUBLE} for measurements, {@code STATE} for the integer state code, {@code
 *     COUNTER} for cumulative unsigned counts, {@code TEXT} for strings (program, stop reason)
 * @param unit the unit of a measurement (UCUM code), empty for states and counters
 */
public record Variable(String name, Type type, String unit) {

  /** How a variable is typed. */
  public enum Type {
    DOUBLE,
    STATE,
    COUNTER,
    TEXT
  }

  public static Variable measurement(String name, String unit) {
    return new Variable(name, Type.DOUBLE, unit);
  }

  /**
   * The signal name gateways give this variable: its name in snake_case, as the edge agent's browse
   * mapping derives it ({@code Spindle.Speed} → {@code spindle_speed}, {@code Axis1.Torque} →
   * {@code axis1_torque}).
   */
  public String signalName() {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_+|_+$", "");
  }
}
