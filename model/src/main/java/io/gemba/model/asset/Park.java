package io.gemba.model.asset;

import static io.gemba.model.config.InvalidFieldException.requireId;

import io.gemba.model.anomaly.SignalRules;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.config.YamlConfigLoader;
import io.gemba.model.oee.OeeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The asset hierarchy of one park: park → factories → lines → machines. One park file describes it,
 * and the simulators, edge agents, KPI job and API all read the same file.
 *
 * @param randomFaults faults the simulators inject at random rates; ignored by everything else
 * @param oee how the KPI job classifies small stops and startup rejects (and the ground truth with
 *     it)
 * @param anomalies how the KPI job judges signals, per signal name and machine kind; the first
 *     matching entry applies
 */
public record Park(
    String id,
    String name,
    List<Factory> factories,
    List<RandomFault> randomFaults,
    OeeSettings oee,
    List<SignalRules> anomalies) {
  public Park {
    oee = oee == null ? OeeSettings.DEFAULTS : oee;
    anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    randomFaults = randomFaults == null ? List.of() : List.copyOf(randomFaults);
    requireId("id", id);
    name = name == null || name.isBlank() ? id : name;
    if (factories == null || factories.isEmpty()) {
      throw new InvalidFieldException("factories", "expected a list of at least one factory");
    }
    factories = List.copyOf(factories);
    Set<String> factoryIds = new HashSet<>();
    Map<String, String> machineIds = new HashMap<>();
    for (int f = 0; f < factories.size(); f++) {
      Factory factory = factories.get(f);
      if (!factoryIds.add(factory.id())) {
        throw new InvalidFieldException(
            "factories[" + f + "].id", "duplicate factory id '" + factory.id() + "'");
      }
      for (int l = 0; l < factory.lines().size(); l++) {
        List<Machine> machines = factory.lines().get(l).machines();
        for (int m = 0; m < machines.size(); m++) {
          String where = "factories[" + f + "].lines[" + l + "].machines[" + m + "]";
          String earlier = machineIds.putIfAbsent(machines.get(m).id(), where);
          if (earlier != null) {
            throw new InvalidFieldException(
                where + ".id",
                "machine ids must be unique in the park; '"
                    + machines.get(m).id()
                    + "' is also at "
                    + earlier);
          }
        }
      }
    }
  }

  /** A park without random faults. */
  public Park(String id, String name, List<Factory> factories) {
    this(id, name, factories, null, null, null);
  }

  /** A park with the default OEE settings. */
  public Park(String id, String name, List<Factory> factories, List<RandomFault> randomFaults) {
    this(id, name, factories, randomFaults, null, null);
  }

  /**
   * Loads and validates a park file.
   *
   * @throws ConfigException naming the file, the field and what was expected
   */
  public static Park load(Path file) {
    return new YamlConfigLoader().load(file, Park.class);
  }

  /** Every machine of the park with its place in the hierarchy, in file order. */
  public List<MachinePlacement> placements() {
    List<MachinePlacement> out = new ArrayList<>();
    for (Factory factory : factories) {
      for (Line line : factory.lines()) {
        for (Machine machine : line.machines()) {
          out.add(new MachinePlacement(factory, line, machine));
        }
      }
    }
    return out;
  }

  public Optional<Factory> findFactory(String factoryId) {
    return factories.stream().filter(f -> f.id().equals(factoryId)).findFirst();
  }

  public Optional<MachinePlacement> findMachine(String machineId) {
    return placements().stream().filter(p -> p.machine().id().equals(machineId)).findFirst();
  }
}
