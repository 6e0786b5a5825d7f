package io.gemba.model.envelope;

import static io.gemba.model.config.InvalidFieldException.requireId;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Identifies a machine by its place in the park: factory, line, machine id. */
public record MachineRef(
    @JsonProperty(required = true) String factory,
    @JsonProperty(required = true) String line,
    @JsonProperty(required = true) String id) {
  public MachineRef {
    requireId("factory", factory);
    requireId("line", line);
    requireId("id", id);
  }
}
