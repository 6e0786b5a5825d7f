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
 * @param limits how much any one machine may send: the bounds that keep a faulty or hostile device
 *     from growing storage and state without end
 */
public record Park(
    String id,
    String name,
    List<Factory> factories,
    List<RandomFault> randomFaults,
    OeeSettings oee,
    List<SignalRules> anomalies,
    Limits limits) {

  /**
   * @param signalsPerMachine how many different signal names one machine may send: those of the
   *     park file first, then the first others that arrive; the rest are refused and counted
   */
  public record Limits(Integer signalsPerMachine) {
    public static final int DEFAULT_SIGNALS_PER_MACHINE = 100;

    public static final Limits DEFAULTS = new Limits(DEFAULT_SIGNALS_PER_MACHINE);

    public Limits {
      signalsPerMachine =
          signalsPerMachine == null ? DEFAULT_SIGNALS_PER_MACHINE : signalsPerMachine;
      if (signalsPerMachine < 1 || signalsPerMachine > 10_000) {
        throw new InvalidFieldException(
            "signalsPerMachine", "expected 1 to 10000, got " + signalsPerMachine);
      }
    }
  }

  public Park {
    limits = limits == null ? Limits.DEFAULTS : limits;
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
    Map<String, String> gatewayFactory = new HashMap<>();
    Map<String, String> machineIds = new HashMap<>();
    for (int f = 0; f < factories.size(); f++) {
      Factory factory = factories.get(f);
      if (!factoryIds.add(factory.id())) {
        throw new InvalidFieldException(
            "factories[" + f + "].id", "duplicate factory id '" + factory.id() + "'");
      }
      for (int g = 0; g < factory.gateways().size(); g++) {
        String other = gatewayFactory.putIfAbsent(factory.gateways().get(g), factory.id());
        if (other != null) {
          throw new InvalidFieldException(
              "factories[" + f + "].gateways[" + g + "]",
              "gateway '"
                  + factory.gateways().get(g)
                  + "' already serves factory '"
                  + other
                  + "'; a gateway speaks for one factory");
        }
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

  /** A park with the default limits. */
  public Park(
      String id,
      String name,
      List<Factory> factories,
      List<RandomFault> randomFaults,
      OeeSettings oee,
      List<SignalRules> anomalies) {
    this(id, name, factories, randomFaults, oee, anomalies, null);
  }

  /** A park without random faults. */
  public Park(String id, String name, List<Factory> factories) {
    this(id, name, factories, null, null, null, null);
  }

  /** A park with the default OEE settings. */
  public Park(String id, String name, List<Factory> factories, List<RandomFault> randomFaults) {
    this(id, name, factories, randomFaults, null, null, null);
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
