package io.gemba.sim;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.TlsFiles;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Line;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.Park;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.machine.Variable;
import io.gemba.sim.modbus.ModbusMachines;
import io.gemba.sim.modbus.MouldingRegisters;
import io.gemba.sim.opcua.MachineNamespace;
import io.gemba.sim.station.LineStation;
import io.gemba.sim.station.StationPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes one gateway file per factory that reads the factory's simulated machines: CNC machines and
 * robots over OPC UA, every measurement by node id, moulding machines over Modbus TCP by their
 * register map, and line stations from the JSON their PLC gateways publish over MQTT: the same
 * files an operator would write by hand for a real plant (docs/gateway-config.md).
 */
public final class GatewayFiles {

  private GatewayFiles() {}

  /**
   * How one factory's gateway reaches the broker.
   *
   * @param uplink where its envelopes go, as its own broker user
   * @param stations the broker its line stations publish JSON to, as the user it reads them as;
   *     null leaves line stations out
   */
  public record Brokers(BrokerEndpoint uplink, BrokerEndpoint stations) {}

  /** Writes {@code <dir>/gw-<factory>.yaml} for every factory with simulated machines. */
  public static List<Path> write(
      Park park,
      Path dir,
      Path bufferDir,
      Function<Factory, Brokers> brokers,
      String endpoint,
      int namespace,
      String user,
      Path passwordFile) {
    return write(park, dir, bufferDir, brokers, endpoint, namespace, user, passwordFile, null);
  }

  /**
   * As {@link #write}, reading the park's moulding machines at {@code modbusEndpoint} ({@code
   * tcp://host:port}); null leaves them out.
   */
  public static List<Path> write(
      Park park,
      Path dir,
      Path bufferDir,
      Function<Factory, Brokers> brokers,
      String endpoint,
      int namespace,
      String user,
      Path passwordFile,
      String modbusEndpoint) {
    Map<String, Integer> units = ModbusMachines.unitIds(park);
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Factory factory : park.factories()) {
        String yaml =
            gateway(
                factory,
                brokers.apply(factory),
                bufferDir.resolve("gw-" + factory.id()),
                endpoint,
                namespace,
                "{ policy: Basic256Sha256, mode: SignAndEncrypt, user: { username: "
                    + user
                    + ", passwordFile: "
                    + passwordFile.toAbsolutePath()
                    + " } }",
                modbusEndpoint,
                units);
        if (yaml != null) {
          Path file = dir.resolve("gw-" + factory.id() + ".yaml");
          Files.writeString(file, yaml);
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write gateway files to " + dir, e);
    }
    return files;
  }

  /**
   * {@code yaml}, a gateway file of this class, for simulators that run faster than real time:
   * their source timestamps run ahead of the agent's clock by design, so the agent forwards them
   * unchanged instead of flagging them uncertain.
   */
  public static String withSimulatedClock(String yaml) {
    return yaml.replaceFirst(
        "\n  factory: ([a-z0-9_-]+)\n", "\n  factory: $1\n  sourceClock: { action: keep }\n");
  }

  /** The gateway file for one factory, or null when it has no simulated machines. */
  public static String gateway(
      Factory factory, Brokers brokers, Path buffer, String endpoint, int ns, String security) {
    return gateway(factory, brokers, buffer, endpoint, ns, security, null, Map.of());
  }

  /**
   * As {@link #gateway}, reading moulding machines at {@code modbusEndpoint} by their unit ids
   * ({@link ModbusMachines#unitIds}); a null endpoint leaves them out.
   */
  public static String gateway(
      Factory factory,
      Brokers brokers,
      Path buffer,
      String endpoint,
      int ns,
      String security,
      String modbusEndpoint,
      Map<String, Integer> units) {
    StringBuilder machines = new StringBuilder();
    for (Line line : factory.lines()) {
      for (Machine m : line.machines()) {
        if (m.kind() == MachineKind.INJECTION_MOULDING) {
          if (modbusEndpoint != null) {
            machines
                .append("  - id: ")
                .append(m.id())
                .append("\n    line: ")
                .append(line.id())
                .append('\n')
                .append(MouldingRegisters.gatewayEntry(modbusEndpoint, units.get(m.id())));
          }
          continue;
        }
        if (m.kind() == MachineKind.LINE_STATION) {
          if (brokers.stations() != null) {
            machines.append(station(factory, line, m, brokers.stations()));
          }
          continue;
        }
        List<Variable> variables = ParkSimulation.variablesOf(m.kind());
        machines
            .append("  - id: ")
            .append(m.id())
            .append('\n')
            .append("    line: ")
            .append(line.id())
            .append('\n')
            .append("    opcua:\n")
            .append("      endpoint: ")
            .append(endpoint)
            .append('\n')
            .append("      security: ")
            .append(security)
            .append('\n')
            .append("      publishingIntervalMs: 100\n")
            .append("      signals:\n");
        for (Variable v : variables) {
          if (v.type() == Variable.Type.DOUBLE) {
            machines.append(signal(v.signalName(), node(ns, m, v.name())));
          }
        }
        machines
            .append("      state:\n")
            .append("        node: \"")
            .append(node(ns, m, SimulatedMachine.STATE))
            .append("\"\n")
            .append("        map: { 1: producing, 2: idle, 3: down, 4: setup, 5: planned_stop }\n")
            .append("        reason: \"")
            .append(node(ns, m, SimulatedMachine.STOP_REASON))
            .append("\"\n")
            .append("      counters:\n")
            .append("        total: \"")
            .append(node(ns, m, SimulatedMachine.PARTS_TOTAL))
            .append("\"\n")
            .append("        good: \"")
            .append(node(ns, m, SimulatedMachine.PARTS_GOOD))
            .append("\"\n");
      }
    }
    if (machines.length() == 0) {
      return null;
    }
    return "# Generated by the Gemba simulators for factory "
        + factory.id()
        + ".\ngateway:\n  id: gw-"
        + factory.id()
        + "\n  factory: "
        + factory.id()
        + "\nuplink:\n"
        + broker(brokers.uplink(), "  ")
        + "  batchDelayMs: 200\nbuffer:\n  dir: "
        + buffer
        + "\n  maxBytes: 64MiB\npki:\n  dir: "
        + buffer.resolveSibling("pki-gw-" + factory.id())
        + "\nmachines:\n"
        + machines;
  }

  /** A line station read from the JSON its PLC gateway publishes ({@link StationPublisher}). */
  private static String station(Factory factory, Line line, Machine m, BrokerEndpoint broker) {
    StringBuilder s =
        new StringBuilder()
            .append("  - id: ")
            .append(m.id())
            .append("\n    line: ")
            .append(line.id())
            .append("\n    mqtt:\n")
            .append(broker(broker, "      "))
            .append("      topic: ")
            .append(StationPublisher.topic(factory.id(), line.id(), m.id()))
            .append("\n      timestamp: $.ts\n      signals:\n");
    for (Variable v : LineStation.VARIABLES) {
      if (v.type() == Variable.Type.DOUBLE) {
        s.append("        - { name: ")
            .append(v.signalName())
            .append(", path: $.")
            .append(v.name().toLowerCase(Locale.ROOT))
            .append(" }\n");
      }
    }
    return s.append(
            "      state: { path: $.state, map: { RUN: producing, IDLE: idle, FAULT: down,"
                + " SETUP: setup, STOP: planned_stop }, reason: $.reason }\n")
        .append("      counters: { total: $.counts.total, good: $.counts.good }\n")
        .toString();
  }

  /** The fields of a broker connection in a gateway file, each on its own line. */
  static String broker(BrokerEndpoint broker, String indent) {
    StringBuilder out = new StringBuilder(indent + "broker: " + broker.broker() + "\n");
    if (broker.username() != null) {
      out.append(indent).append("username: ").append(broker.username()).append('\n');
    }
    if (broker.passwordFile() != null) {
      out.append(indent).append("passwordFile: ").append(broker.passwordFile()).append('\n');
    }
    TlsFiles tls = broker.tls();
    if (tls != null && tls.caFile() != null) {
      out.append(indent).append("tls: { caFile: ").append(tls.caFile()).append(" }\n");
    }
    if (broker.allowPlaintext()) {
      out.append(indent).append("allowPlaintext: true\n");
    }
    return out.toString();
  }

  private static String signal(String name, String node) {
    return "        - { name: " + name + ", node: \"" + node + "\", samplingMs: 100 }\n";
  }

  private static String node(int ns, Machine m, String variable) {
    return "ns=" + ns + ";s=" + MachineNamespace.nodeName(m.id(), variable);
  }
}
