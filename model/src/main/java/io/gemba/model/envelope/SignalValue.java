package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.Names;

/**
 * One reading of a signal.
 *
 * @param ts source timestamp, epoch milliseconds UTC: when the machine measured it
 * @param value the reading; must be finite unless the quality is bad
 */
public record SignalValue(
    @JsonProperty(required = true) String signal,
    @JsonProperty(required = true) long ts,
    @JsonProperty(required = true) double value,
    @JsonProperty(required = true) Quality quality) {
  public SignalValue {
    Names.requireSignal("signal", signal);
    Envelope.requireTimestamp("ts", ts);
    if (quality == null) {
      throw new InvalidFieldException("quality", "expected one of good, uncertain, bad");
    }
    if (!Double.isFinite(value) && quality != Quality.BAD) {
      throw new InvalidFieldException("value", "expected a finite number, got " + value);
    }
  }
}
