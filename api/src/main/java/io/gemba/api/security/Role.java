package io.gemba.api.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/** What a user of the API may do. */
public enum Role {
  /** Reads every factory of the park. */
  PARK_OPERATOR("park-operator"),
  /** Reads their own factory, and may acknowledge its anomalies. */
  PLANT_ENGINEER("plant-engineer"),
  /** Reads only: their factory if they have one, else the park. */
  VIEWER("viewer");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  /**
   * The longest a token of this role may be valid: a year for a viewer (the wall screen's link), a
   * shift (12 hours) for everyone who may see more or do more, who signs in instead.
   */
  public Duration maxTokenLifetime() {
    return this == VIEWER ? Duration.ofDays(365) : Duration.ofHours(12);
  }

  @JsonValue
  public String wireName() {
    return wire;
  }

  /**
   * Parses the wire form.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  @JsonCreator
  public static Role fromWire(String text) {
    for (Role r : values()) {
      if (r.wire.equals(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + text + "', expected one of park-operator, plant-engineer, viewer");
  }
}
