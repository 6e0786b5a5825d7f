package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.config.InvalidFieldException;
import java.util.List;

/**
 * A production line: machines that work one product flow.
 *
 * @param flow set when the machines pass parts to one another through buffers, in file order, so
 *     that a stopped machine starves and blocks its neighbours; null when they work independently
 */
public record Line(String id, String name, List<Machine> machines, Flow flow) {
  public Line {
    requireId("id", id);
    name = name == null || name.isBlank() ? id : name;
    if (machines == null || machines.isEmpty()) {
      throw new InvalidFieldException("machines", "expected a list of at least one machine");
    }
    machines = List.copyOf(machines);
  }

  /** A line whose machines work independently. */
  public Line(String id, String name, List<Machine> machines) {
    this(id, name, machines, null);
  }
}
