package io.gemba.model.envelope;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Quality of one reading, following the OPC UA status code severity: {@code good}, {@code
 * uncertain} or {@code bad}.
 */
public enum Quality {
  GOOD,
  UNCERTAIN,
  BAD;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Maps an OPC UA status code (the 32-bit value) by its severity bits. */
  public static Quality fromOpcUaStatus(long statusCode) {
    long severity = (statusCode >>> 30) & 0x3;
    if (severity == 0) {
      return GOOD;
    }
    return severity == 1 ? UNCERTAIN : BAD;
  }
}
