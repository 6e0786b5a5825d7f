package io.gemba.sim.opcua;

import io.gemba.model.asset.Machine;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import java.util.List;

/**
 * What the server exposes of one machine: a folder named by its id with one variable per machine
 * variable.
 */
public record MachineNodes(String id, String displayName, List<Variable> variables) {
  public MachineNodes {
    variables = List.copyOf(variables);
  }

  public static MachineNodes of(SimulatedMachine machine) {
    return new MachineNodes(machine.machine().id(), machine.machine().name(), machine.variables());
  }

  /** The nodes of a CNC machine, without simulating it (for harnesses that write values). */
  public static MachineNodes cnc(Machine machine) {
    return new MachineNodes(machine.id(), machine.name(), CncMachine.VARIABLES);
  }
}
