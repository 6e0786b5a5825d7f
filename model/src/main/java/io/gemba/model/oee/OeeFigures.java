package io.gemba.model.oee;

/**
 * Availability, performance, quality and OEE as ratios (0.93, not 93). A figure whose denominator
 * is zero is undefined and held as {@link Double#NaN}: a window with no planned time has no
 * availability, a window without parts has no quality. Such figures are left out of storage and
 * shown as "no value", never as 0 or 100%.
 */
public record OeeFigures(double availability, double performance, double quality, double oee) {

  public static boolean defined(double figure) {
    return !Double.isNaN(figure);
  }
}
