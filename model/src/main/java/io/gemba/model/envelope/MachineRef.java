package io.gemba.model.envelope;

import static io.gemba.model.config.InvalidFieldException.requireId;

/** Identifies a machine by its place in the park: factory, line, machine id. */
public record MachineRef(String factory, String line, String id) {
  public MachineRef {
    requireId("factory", factory);
    requireId("line", line);
    requireId("id", id);
  }
}
