package io.gemba.api;

import io.vertx.core.json.JsonObject;

/**
 * The OEE colour bands of the dashboards: below {@code red} red, from {@code red} to {@code green}
 * yellow, above {@code green} green. Ratios, 0 to 1.
 */
public record OeeBands(double red, double green) {

  /** Below 65 % red, 65–85 % yellow, above 85 % green. */
  public static final OeeBands DEFAULT = new OeeBands(0.65, 0.85);

  public OeeBands {
    if (!(red >= 0 && red <= green && green <= 1)) {
      throw new IllegalArgumentException(
          "expected 0 <= red <= green <= 1, got red " + red + " and green " + green);
    }
  }

  /**
   * Parses {@code RED,GREEN} in percent, as {@code --oee-bands 65,85} takes it.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static OeeBands parsePercent(String text) {
    String[] parts = text.split(",");
    if (parts.length == 2) {
      try {
        double red = Double.parseDouble(parts[0].strip()) / 100;
        double green = Double.parseDouble(parts[1].strip()) / 100;
        if (red >= 0 && red <= green && green <= 1) {
          return new OeeBands(red, green);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "expected RED,GREEN in percent with 0 <= RED <= GREEN <= 100 (like 65,85), got '"
            + text
            + "'");
  }

  JsonObject toJson() {
    return new JsonObject().put("red", red).put("green", green);
  }
}
