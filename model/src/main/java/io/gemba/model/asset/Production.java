package io.gemba.model.asset;

import io.gemba.model.config.InvalidFieldException;
import java.time.Duration;

/**
 * How a simulated machine behaves between its planned stops: how often it breaks down and how long
 * repairs take, its micro-stops, changeovers and waits, its cycle-time spread and its reject rate.
 * Read by the simulators only. Every field is optional; a missing field takes the default below,
 * and a zero duration for an {@code ...Every} field switches that kind of stop off.
 *
 * @param mtbf mean running time between breakdowns (exponentially distributed); default 30 min
 * @param mttr mean time to repair (log-normally distributed); default 3 min
 * @param microStopEvery mean running time between micro-stops (jams, sensor trips); default 6 min
 * @param microStopDuration mean length of a micro-stop, spread ±50%; default 40 s
 * @param changeoverEvery running time between product changeovers; default 2 h
 * @param changeoverDuration mean length of a changeover, spread ±20%; default 8 min
 * @param idleEvery mean running time between waits for material or an operator; default 15 min
 * @param idleDuration mean length of such a wait, spread ±50%; default 30 s
 * @param cycleSpread how much slower than ideal a cycle may be: a cycle takes the ideal time × (1 +
 *     spread × U) with U uniform in [0, 1); default 0.25
 * @param rejectRate share of finished parts that fail inspection; default 0.05
 */
public record Production(
    Duration mtbf,
    Duration mttr,
    Duration microStopEvery,
    Duration microStopDuration,
    Duration changeoverEvery,
    Duration changeoverDuration,
    Duration idleEvery,
    Duration idleDuration,
    Double cycleSpread,
    Double rejectRate) {

  /** The behaviour of a machine whose park entry has no {@code production} block. */
  public static final Production DEFAULTS =
      new Production(null, null, null, null, null, null, null, null, null, null);

  public Production {
    mtbf = orDefault("mtbf", mtbf, Duration.ofMinutes(30), true);
    mttr = orDefault("mttr", mttr, Duration.ofMinutes(3), false);
    microStopEvery = orDefault("microStopEvery", microStopEvery, Duration.ofMinutes(6), true);
    microStopDuration =
        orDefault("microStopDuration", microStopDuration, Duration.ofSeconds(40), false);
    changeoverEvery = orDefault("changeoverEvery", changeoverEvery, Duration.ofHours(2), true);
    changeoverDuration =
        orDefault("changeoverDuration", changeoverDuration, Duration.ofMinutes(8), false);
    idleEvery = orDefault("idleEvery", idleEvery, Duration.ofMinutes(15), true);
    idleDuration = orDefault("idleDuration", idleDuration, Duration.ofSeconds(30), false);
    cycleSpread = cycleSpread == null ? 0.25 : cycleSpread;
    if (!(cycleSpread >= 0 && cycleSpread <= 10)) {
      throw new InvalidFieldException(
          "cycleSpread", "expected a number from 0 to 10, got " + cycleSpread);
    }
    rejectRate = rejectRate == null ? 0.05 : rejectRate;
    if (!(rejectRate >= 0 && rejectRate <= 1)) {
      throw new InvalidFieldException(
          "rejectRate", "expected a share from 0 to 1, got " + rejectRate);
    }
  }

  private static Duration orDefault(
      String field, Duration value, Duration fallback, boolean zeroMeansNever) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || (value.isZero() && !zeroMeansNever)) {
      throw new InvalidFieldException(
          field,
          zeroMeansNever
              ? "expected a duration such as PT30M, or PT0S for never; got " + value
              : "expected a positive duration such as PT2M; got " + value);
    }
    return value;
  }
}
