package io.gemba.model.asset;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kind of a machine, which decides how the simulators play it and how dashboards draw it. */
public enum MachineKind {
  CNC,
  ROBOT,
  LINE_STATION,
  /** An injection moulding machine, read over Modbus TCP in the simulated parks. */
  INJECTION_MOULDING;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
