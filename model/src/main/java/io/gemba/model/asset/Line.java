package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.config.InvalidFieldException;
import java.util.List;

/** A production line: machines that work one product flow. */
public record Line(String id, String name, List<Machine> machines) {
  public Line {
    requireId("id", id);
    name = name == null || name.isBlank() ? id : name;
    if (machines == null || machines.isEmpty()) {
      throw new InvalidFieldException("machines", "expected a list of at least one machine");
    }
    machines = List.copyOf(machines);
  }
}
