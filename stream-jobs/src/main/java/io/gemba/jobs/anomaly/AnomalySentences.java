package io.gemba.jobs.anomaly;

import io.gemba.model.anomaly.AnomalyRule;
import java.util.Locale;

/** The sentence a plant engineer reads with a signal's anomaly, per rule. */
final class AnomalySentences {

  private AnomalySentences() {}

  /**
   * @param score the anomaly's score (see {@link Anomaly})
   * @param periodMs for an oscillation, its period
   */
  static String of(AnomalyRule rule, String signal, double score, double periodMs) {
    return switch (rule) {
      case OUTLIER ->
          String.format(
              Locale.ROOT,
              "%s jumped %.0f times its usual step: a spike or a glitch in the sensor.",
              signal,
              score);
      case SHIFT ->
          String.format(
              Locale.ROOT,
              "%s moved to another level (%.0f times its usual step) and stayed there.",
              signal,
              score);
      case STUCK ->
          String.format(
              Locale.ROOT,
              "%s repeated the same value %.0f times in a row: the sensor may be stuck.",
              signal,
              score);
      case OSCILLATION ->
          String.format(
              Locale.ROOT,
              "%s swings with a period of about %.0f s (%.0f times the power around that"
                  + " frequency): a loose part, a hunting control loop or a failing bearing?",
              signal,
              periodMs / 1000,
              score);
      case DRIFT ->
          String.format(
              Locale.ROOT,
              "%s is creeping away from its usual level: wear or a fouled sensor?",
              signal);
      case RATE_OF_CHANGE ->
          String.format(
              Locale.ROOT,
              "%s changed at %.3g per second, faster than it physically can: a wiring or sensor"
                  + " fault.",
              signal,
              score);
      case WE2 ->
          signal
              + " is out of control: two of three 10 s means beyond two standard deviations of"
              + " its usual level (Western Electric rule 2).";
      case WE3 ->
          signal
              + " is out of control: four of five 10 s means beyond one standard deviation on"
              + " one side (Western Electric rule 3).";
      case WE4 ->
          signal
              + " is out of control: eight 10 s means in a row on one side of its usual level"
              + " (Western Electric rule 4).";
      default -> signal + ": " + rule.wireName();
    };
  }

  /** A shift the level check found: the level of the state's visits, not a step. */
  static String levelShift(String signal, double z) {
    return String.format(
        Locale.ROOT,
        "%s is at another level than it usually has in this machine state (%.0f times the usual"
            + " spread of that level).",
        signal,
        z);
  }

  /** A drift the trend check found, with the creep it measured. */
  static String creep(String signal, double perHour) {
    return String.format(
        Locale.ROOT,
        "%s is creeping by %+.3g per hour, steeper than it usually moves in this machine state:"
            + " wear or a fouled sensor?",
        signal,
        perHour);
  }
}
