package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;

/**
 * A change smaller than the deadband is not reported: {@code { absolute: 1.0 }} in the signal's
 * unit, or {@code { percent: 2.0 }} of the node's engineering range (EURange, which the server must
 * provide). Exactly one of the two.
 */
public record Deadband(Double absolute, Double percent) {
  public Deadband {
    if ((absolute == null) == (percent == null)) {
      throw new InvalidFieldException("absolute", "expected exactly one of absolute or percent");
    }
    if (absolute != null && !(absolute >= 0)) {
      throw new InvalidFieldException("absolute", "expected 0 or more, got " + absolute);
    }
    if (percent != null && !(percent >= 0 && percent <= 100)) {
      throw new InvalidFieldException("percent", "expected 0 to 100, got " + percent);
    }
  }
}
