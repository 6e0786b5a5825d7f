package io.gemba.edge.config;

import io.gemba.model.config.InvalidFieldException;
import java.time.Duration;

/**
 * What the agent does with a reading whose source timestamp is far from its own clock: a PLC whose
 * clock is wrong, or a device that sends nonsense times. Such readings are always counted (metric
 * {@code gemba_edge_source_clock_off_total}).
 *
 * @param tolerance how far a source timestamp may be from the agent's clock (default 1 minute)
 * @param action {@code flag} (default): forward with quality {@code uncertain}; {@code refuse}:
 *     drop the reading; {@code keep}: forward unchanged
 */
public record SourceClock(Duration tolerance, Action action) {

  /** What to do with a reading out of tolerance. */
  public enum Action {
    FLAG,
    REFUSE,
    KEEP
  }

  public static final SourceClock DEFAULTS = new SourceClock(null, null);

  public SourceClock {
    tolerance = tolerance == null ? Duration.ofMinutes(1) : tolerance;
    action = action == null ? Action.FLAG : action;
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new InvalidFieldException("tolerance", "expected a positive duration like PT1M");
    }
  }
}
