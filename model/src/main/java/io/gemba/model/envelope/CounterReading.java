package io.gemba.model.envelope;

import io.gemba.model.config.InvalidFieldException;

/**
 * A cumulative part counter as read at {@code ts}. Consumers compute counts from the difference of
 * successive readings, so a lost envelope delays counts instead of losing them.
 */
public record CounterReading(Counter counter, long ts, long value, Quality quality) {
  public CounterReading {
    if (counter == null) {
      throw new InvalidFieldException("counter", "expected total or good");
    }
    if (value < 0) {
      throw new InvalidFieldException("value", "expected a count of zero or more, got " + value);
    }
    quality = quality == null ? Quality.GOOD : quality;
  }
}
