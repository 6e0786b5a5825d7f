package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.config.InvalidFieldException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A machine on a line: a CNC machine, a robot, a line station.
 *
 * @param id unique across the park; part of MQTT topics and API paths
 * @param idealCycleSeconds the design time for one part, the yardstick of performance
 * @param faults faults the simulators inject into this machine; ignored by everything else
 * @param production how the simulators play the machine's stops, cycles and rejects; ignored by
 *     everything else
 */
public record Machine(
    String id,
    String name,
    MachineKind kind,
    double idealCycleSeconds,
    List<Signal> signals,
    List<Fault> faults,
    Production production) {
  public Machine {
    requireId("id", id);
    name = name == null || name.isBlank() ? id : name;
    if (kind == null) {
      throw new InvalidFieldException("kind", "expected one of cnc, robot, line_station");
    }
    if (!(idealCycleSeconds > 0) || Double.isInfinite(idealCycleSeconds)) {
      throw new InvalidFieldException(
          "idealCycleSeconds", "expected a positive number of seconds, got " + idealCycleSeconds);
    }
    signals = signals == null ? List.of() : List.copyOf(signals);
    faults = faults == null ? List.of() : List.copyOf(faults);
    production = production == null ? Production.DEFAULTS : production;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < signals.size(); i++) {
      if (!seen.add(signals.get(i).name())) {
        throw new InvalidFieldException(
            "signals[" + i + "].name", "duplicate signal '" + signals.get(i).name() + "'");
      }
    }
  }

  /** A machine without injected faults. */
  public Machine(
      String id, String name, MachineKind kind, double idealCycleSeconds, List<Signal> signals) {
    this(id, name, kind, idealCycleSeconds, signals, List.of(), null);
  }

  /** A machine with the default production behaviour. */
  public Machine(
      String id,
      String name,
      MachineKind kind,
      double idealCycleSeconds,
      List<Signal> signals,
      List<Fault> faults) {
    this(id, name, kind, idealCycleSeconds, signals, faults, null);
  }

  /** The ideal cycle time in milliseconds, as OEE math uses it. */
  public double idealCycleMs() {
    return idealCycleSeconds * 1000.0;
  }
}
