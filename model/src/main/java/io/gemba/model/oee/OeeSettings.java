package io.gemba.model.oee;

import io.gemba.model.config.InvalidFieldException;
import java.time.Duration;

/**
 * How stops and rejects are classified for the losses, from the park file's {@code oee} block. The
 * KPI job and the simulators' ground truth read the same settings.
 *
 * @param microStopLimit an unplanned stop (idle or down, without a break into another state) that
 *     lasts less than this is a small stop: performance loss, run time for availability. Default 2
 *     min; {@code PT0S} makes every stop an availability loss.
 * @param startupWindow rejects counted in a minute in which the machine was in setup, or which
 *     starts less than this after a setup ended, are startup rejects (reduced yield); the others
 *     are production rejects. Default 5 min.
 */
public record OeeSettings(Duration microStopLimit, Duration startupWindow) {

  public static final Duration DEFAULT_MICRO_STOP_LIMIT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_STARTUP_WINDOW = Duration.ofMinutes(5);

  /** The settings of a park file without an {@code oee} block. */
  public static final OeeSettings DEFAULTS = new OeeSettings(null, null);

  /** No small stops and no startup rejects: every stop is an availability loss. */
  public static final OeeSettings NONE = new OeeSettings(Duration.ZERO, Duration.ZERO);

  public OeeSettings {
    microStopLimit = microStopLimit == null ? DEFAULT_MICRO_STOP_LIMIT : microStopLimit;
    startupWindow = startupWindow == null ? DEFAULT_STARTUP_WINDOW : startupWindow;
    if (microStopLimit.isNegative() || microStopLimit.compareTo(Duration.ofHours(1)) > 0) {
      throw new InvalidFieldException(
          "oee.microStopLimit", "expected a duration from PT0S to PT1H, got " + microStopLimit);
    }
    if (startupWindow.isNegative() || startupWindow.compareTo(Duration.ofHours(8)) > 0) {
      throw new InvalidFieldException(
          "oee.startupWindow", "expected a duration from PT0S to PT8H, got " + startupWindow);
    }
  }

  public long microStopMs() {
    return microStopLimit.toMillis();
  }

  public long startupMs() {
    return startupWindow.toMillis();
  }
}
