package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gemba.model.config.InvalidFieldException;

/**
 * A cumulative part counter as read at {@code ts}. Consumers compute counts from the difference of
 * successive readings, so a lost envelope delays counts instead of losing them.
 *
 * @param rollover the counter's modulus when the device's counter wraps (65536 for a 16-bit
 *     counter), or null; a drop from the top quarter of the range to the bottom quarter is then a
 *     wrap, any other drop a reset
 */
public record CounterReading(
    @JsonProperty(required = true) Counter counter,
    @JsonProperty(required = true) long ts,
    @JsonProperty(required = true) long value,
    Quality quality,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long rollover) {
  public CounterReading {
    if (counter == null) {
      throw new InvalidFieldException("counter", "expected total or good");
    }
    if (value < 0) {
      throw new InvalidFieldException("value", "expected a count of zero or more, got " + value);
    }
    if (rollover != null && (rollover <= 0 || value >= rollover)) {
      throw new InvalidFieldException(
          "rollover", "expected a modulus above the value " + value + ", got " + rollover);
    }
    quality = quality == null ? Quality.GOOD : quality;
    Envelope.requireTimestamp("ts", ts);
  }

  public CounterReading(Counter counter, long ts, long value, Quality quality) {
    this(counter, ts, value, quality, null);
  }
}
