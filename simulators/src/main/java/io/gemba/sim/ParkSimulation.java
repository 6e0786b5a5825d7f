package io.gemba.sim;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.asset.RandomFault;
import io.gemba.model.calendar.ShiftCalendar;
import io.gemba.model.oee.MachineOee;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.cnc.ProductionSchedule;
import io.gemba.sim.line.FlowLine;
import io.gemba.sim.machine.MachineSetup;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import io.gemba.sim.modbus.ModbusMachines;
import io.gemba.sim.moulding.MouldingMachine;
import io.gemba.sim.opcua.MachineNodes;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import io.gemba.sim.robot.RobotMachine;
import io.gemba.sim.station.LineStation;
import io.gemba.sim.station.StationPublisher;
import io.gemba.sim.truth.ExposedValues;
import io.gemba.sim.truth.ShiftTruth;
import io.gemba.sim.truth.TruthSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a park: its CNC machines and robots on one OPC UA server, its moulding machines over Modbus
 * TCP (each at its own unit id behind one port), its line stations over MQTT, the machines of each
 * flow line coupled through their buffers, and the park's random faults. A tick every 20 ms of wall
 * time advances each machine to simulated now, writes its variable updates with their simulated
 * source timestamps, and hands the ground truth (minutes, shifts, state intervals, faults) to the
 * truth sink.
 */
public final class ParkSimulation implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ParkSimulation.class);

  private final SimClock clock;
  private final SimulatorServer server;
  private final ModbusMachines modbus;
  private final Map<String, SimulatedMachine> machines = new ConcurrentHashMap<>();
  private final Consumer<MachineOee> truthSink;
  private final AtomicLong updatesApplied = new AtomicLong();
  private final ExposedValues exposed = new ExposedValues();
  private final Map<String, Long> exposedDrained = new HashMap<>();
  private final Map<String, Map<String, Variable>> signalsOf = new ConcurrentHashMap<>();
  private final StationPublisher stations;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "park-simulation");
            t.setDaemon(true);
            return t;
          });

  private ParkSimulation(
      SimClock clock,
      SimulatorServer server,
      ModbusMachines modbus,
      List<SimulatedMachine> machinesSimulated,
      StationPublisher stations,
      Consumer<MachineOee> truthSink) {
    this.clock = clock;
    this.server = server;
    this.modbus = modbus;
    this.stations = stations;
    this.truthSink = truthSink;
    machinesSimulated.forEach(m -> machines.put(m.machine().id(), m));
  }

  /**
   * Starts the OPC UA server and the simulation of every CNC machine in {@code park}.
   *
   * @param seed the park seed; each machine derives its own from it and its id
   * @param truthSink receives every closed ground-truth minute; a {@link TruthSink} also every
   *     state interval and injected fault
   */
  public static ParkSimulation start(
      Park park, String host, int port, SimClock clock, long seed, Consumer<MachineOee> truthSink) {
    return start(park, host, host, port, clock, seed, truthSink);
  }

  /** As {@link #start}, advertising {@code advertisedHost} in the server's endpoint URLs. */
  public static ParkSimulation start(
      Park park,
      String host,
      String advertisedHost,
      int port,
      SimClock clock,
      long seed,
      Consumer<MachineOee> truthSink) {
    return start(
        park,
        ServerSettings.plain(host, port).withAdvertisedHost(advertisedHost),
        clock,
        seed,
        truthSink);
  }

  /** As {@link #start}, with the server as {@code settings} say (security, limits). */
  public static ParkSimulation start(
      Park park,
      ServerSettings settings,
      SimClock clock,
      long seed,
      Consumer<MachineOee> truthSink) {
    return start(park, settings, null, clock, seed, truthSink);
  }

  /**
   * As {@link #start}, with line stations publishing JSON to {@code stationBroker}, as PLC gateways
   * on the plant floor do ({@link StationPublisher}).
   *
   * @param stationBroker the broker and the user the stations publish as; null leaves the park's
   *     line stations out
   */
  public static ParkSimulation start(
      Park park,
      ServerSettings settings,
      BrokerEndpoint stationBroker,
      SimClock clock,
      long seed,
      Consumer<MachineOee> truthSink) {
    List<SimulatedMachine> machinesSimulated = new ArrayList<>();
    List<SimulatedMachine> lineStations = new ArrayList<>();
    List<SimulatedMachine> moulding = new ArrayList<>();
    StationPublisher publisher = null;
    for (SimulatedMachine machine : machines(park, seed, clock.origin(), stationBroker != null)) {
      if (machine instanceof MouldingMachine) {
        if (settings.modbusPort() > 0) {
          moulding.add(machine);
        } else {
          log.warn("moulding machine left out: no Modbus port machine={}", machine.machine().id());
        }
      } else if (machine instanceof LineStation) {
        if (publisher == null) {
          publisher = new StationPublisher(stationBroker, "gemba-sim-stations-" + park.id());
        }
        MachinePlacement p = park.findMachine(machine.machine().id()).orElseThrow();
        publisher.register(p.factory().id(), p.line().id(), machine.machine().id());
        lineStations.add(machine);
      } else {
        machinesSimulated.add(machine);
      }
    }
    SimulatorServer server =
        SimulatorServer.start(settings, machinesSimulated.stream().map(MachineNodes::of).toList());
    ModbusMachines modbus =
        moulding.isEmpty()
            ? null
            : ModbusMachines.start(park, settings.bindHost(), settings.modbusPort());
    List<SimulatedMachine> all = new ArrayList<>(machinesSimulated);
    all.addAll(lineStations);
    all.addAll(moulding);
    ParkSimulation simulation =
        new ParkSimulation(clock, server, modbus, all, publisher, truthSink);
    for (SimulatedMachine simulated : machinesSimulated) {
      for (NodeUpdate update : simulated.initialValues(clock.origin())) {
        server.namespace().apply(simulated.machine().id(), update);
      }
    }
    for (SimulatedMachine simulated : moulding) {
      modbus.apply(
          simulated.machine().id(), simulated.initialValues(clock.origin()), clock.origin());
    }
    simulation.ticker.scheduleAtFixedRate(simulation::tick, 0, 20, TimeUnit.MILLISECONDS);
    log.info(
        "simulation started endpoint={} machines={} modbus={} stations={} speed={}",
        server.endpointUrl(),
        machinesSimulated.size(),
        moulding.isEmpty() ? "none" : moulding.size() + " on port " + settings.modbusPort(),
        lineStations.size(),
        clock.speed());
    return simulation;
  }

  /**
   * Builds the simulated machines of a park, in file order: each with its seed derived from {@code
   * seed} and its id, the park's random faults, and the machines of each flow line coupled. Nothing
   * is served or published; {@link #start} does that.
   *
   * @param withStations false leaves line stations out (no broker to publish them to); a flow line
   *     with stations then plays its other machines independently
   * @throws IllegalArgumentException naming the random fault or the fault whose signal no machine
   *     has
   */
  public static List<SimulatedMachine> machines(
      Park park, long seed, long origin, boolean withStations) {
    checkRandomFaults(park);
    List<SimulatedMachine> out = new ArrayList<>();
    for (Factory factory : park.factories()) {
      ShiftCalendar calendar = factory.calendar();
      for (Line line : factory.lines()) {
        List<MachineSetup> setups = new ArrayList<>();
        for (Machine machine : line.machines()) {
          long machineSeed = seed * 1_000_003L + machine.id().hashCode();
          setups.add(
              MachineSetup.of(machine, calendar, machineSeed, origin)
                  .withRandomFaults(park.randomFaults())
                  .withOee(park.oee()));
        }
        boolean stationsLeftOut =
            !withStations
                && line.machines().stream().anyMatch(m -> m.kind() == MachineKind.LINE_STATION);
        if (line.flow() != null && stationsLeftOut) {
          log.warn(
              "flow line played as independent machines: its stations are left out line={}",
              line.id());
        } else if (line.flow() != null) {
          setups = coupled(setups, line.flow().buffer(), origin);
        }
        for (MachineSetup setup : setups) {
          switch (setup.machine().kind()) {
            case CNC -> out.add(new CncMachine(setup));
            case ROBOT -> out.add(new RobotMachine(setup));
            case INJECTION_MOULDING -> out.add(new MouldingMachine(setup));
            case LINE_STATION -> {
              if (withStations) {
                out.add(new LineStation(setup));
              } else {
                log.warn(
                    "line station left out: no broker for stations machine={}",
                    setup.machine().id());
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** The machines of a flow line, each playing its part of one {@link FlowLine}. */
  private static List<MachineSetup> coupled(List<MachineSetup> setups, int buffer, long origin) {
    List<ProductionSchedule> own = new ArrayList<>();
    for (MachineSetup setup : setups) {
      own.add(
          new ProductionSchedule(
              setup.seed(),
              origin,
              setup.calendar(),
              setup.machine().idealCycleMs(),
              setup.machine().production(),
              false));
    }
    FlowLine flow = new FlowLine(own, buffer, origin);
    List<MachineSetup> out = new ArrayList<>();
    for (int i = 0; i < setups.size(); i++) {
      out.add(setups.get(i).withSchedule(flow.station(i)));
    }
    return out;
  }

  /**
   * Checks that every random fault that names signals can hit at least one machine.
   *
   * @throws IllegalArgumentException naming the entry and the signals the machines have
   */
  public static void checkRandomFaults(Park park) {
    for (int i = 0; i < park.randomFaults().size(); i++) {
      RandomFault spec = park.randomFaults().get(i);
      if (spec.signals().isEmpty()) {
        continue;
      }
      Set<String> available = new TreeSet<>();
      for (MachinePlacement p : park.placements()) {
        if (spec.appliesTo(p.machine().kind())) {
          variablesOf(p.machine().kind()).forEach(v -> available.add(v.signalName()));
        }
      }
      if (spec.signals().stream().noneMatch(available::contains)) {
        throw new IllegalArgumentException(
            "randomFaults["
                + i
                + "].signals: no machine it applies to has any of "
                + spec.signals()
                + "; expected some of "
                + available);
      }
    }
  }

  /** The variables every machine of {@code kind} has. */
  static List<Variable> variablesOf(MachineKind kind) {
    return switch (kind) {
      case CNC -> CncMachine.VARIABLES;
      case ROBOT -> RobotMachine.VARIABLES;
      case LINE_STATION -> LineStation.VARIABLES;
      case INJECTION_MOULDING -> MouldingMachine.VARIABLES;
    };
  }

  private void tick() {
    try {
      long now = clock.now();
      for (SimulatedMachine machine : machines.values()) {
        List<NodeUpdate> updates = machine.advanceTo(now);
        if (machine instanceof LineStation) {
          stations.publish(machine.machine().id(), updates);
        } else if (machine instanceof MouldingMachine) {
          modbus.apply(machine.machine().id(), updates, now);
        } else {
          for (NodeUpdate update : updates) {
            server.namespace().apply(machine.machine().id(), update);
          }
          exposed.tick(machine.machine().id(), updates, signals(machine));
        }
        updatesApplied.addAndGet(updates.size());
        machine.truth().closeUntil(now).forEach(truthSink);
        if (truthSink instanceof TruthSink sink) {
          machine.drainPlacedFaults().forEach(sink::fault);
          machine.truth().drainStateIntervals().forEach(sink::stateInterval);
          machine.truth().drainShifts().forEach(sink::shift);
        }
      }
      if (truthSink instanceof TruthSink sink) {
        exposed.drainBefore(now, exposedDrained).forEach(sink::exposedValues);
      }
    } catch (RuntimeException e) {
      // A failing tick must not stop the schedule silently; log and carry on with the next.
      log.error("simulation tick failed", e);
    }
  }

  /** The signal variables of {@code machine}: those of type double. */
  private Map<String, Variable> signals(SimulatedMachine machine) {
    return signalsOf.computeIfAbsent(
        machine.machine().id(),
        id -> {
          Map<String, Variable> out = new HashMap<>();
          for (Variable v : machine.variables()) {
            if (v.type() == Variable.Type.DOUBLE) {
              out.put(v.name(), v);
            }
          }
          return out;
        });
  }

  /**
   * The simulators' own count of the signal values the OPC UA machines exposed (line stations,
   * which publish over MQTT, and moulding machines, which are polled over Modbus, are not counted).
   */
  public ExposedValues exposedValues() {
    return exposed;
  }

  public SimulatorServer server() {
    return server;
  }

  /** Variable updates written to the server so far (values, states, counters). */
  public long updatesApplied() {
    return updatesApplied.get();
  }

  public SimClock clock() {
    return clock;
  }

  /** The true OEE of a machine's minute starting at {@code start}, once that minute closed. */
  public Optional<MachineOee> truth(String machineId, long start) {
    SimulatedMachine machine = machines.get(machineId);
    return machine == null ? Optional.empty() : machine.truth().minute(start);
  }

  /** The true OEE of a machine's shift starting at {@code start}, once that shift closed. */
  public Optional<ShiftTruth> truthOfShift(String machineId, long start) {
    SimulatedMachine machine = machines.get(machineId);
    return machine == null ? Optional.empty() : machine.truth().shift(start);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stations != null) {
      stations.close();
    }
    if (modbus != null) {
      modbus.close();
    }
    server.close();
  }
}
