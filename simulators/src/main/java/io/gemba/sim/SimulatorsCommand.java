package io.gemba.sim;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.Identities;
import io.gemba.connect.cli.BrokerOptions;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.gemba.model.oee.MachineOee;
import io.gemba.sim.modbus.ModbusMachines;
import io.gemba.sim.opcua.ServerSecurity;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import io.gemba.sim.truth.TruthLog;
import io.gemba.sim.truth.TruthQuery;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of the simulators: {@code simulators run --park FILE}. */
@Command(
    name = "simulators",
    mixinStandardHelpOptions = true,
    description = "Simulated machines with ground truth.",
    subcommands = {SimulatorsCommand.Run.class, SimulatorsCommand.Truth.class})
public final class SimulatorsCommand {

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorsCommand()).execute(args));
  }

  /**
   * Runs the OPC UA machines of a park (CNC machines, robots) on one server until stopped, and
   * prints the endpoint and, per factory, a gateway file that reads it.
   */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a park's machines.")
  static final class Run implements Callable<Integer> {

    @Option(names = "--park", required = true, description = "Park file (YAML).")
    Path park;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address.")
    String host;

    @Option(names = "--port", defaultValue = "4840", description = "OPC UA port.")
    int port;

    @Option(
        names = "--modbus-port",
        defaultValue = "5020",
        description = "Modbus TCP port of the park's moulding machines (0: leave them out).")
    int modbusPort;

    @Option(
        names = "--history",
        defaultValue = "PT10M",
        description =
            "How much of every OPC UA variable's past (simulated time) the server keeps for"
                + " HistoryRead, so that gateways read back an outage (PT0S: none).")
    Duration history;

    @Option(names = "--speed", defaultValue = "1", description = "Simulated seconds per second.")
    double speed;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every schedule.")
    long seed;

    @Option(
        names = {"--mqtt", "--broker"},
        defaultValue = "tcp://127.0.0.1:1883",
        description =
            "Broker the line stations publish to, also written into the printed gateway files"
                + " as the plant broker. The stations connect as --mqtt-user.")
    String broker;

    @Mixin BrokerOptions brokerOptions = new BrokerOptions();

    @Option(
        names = "--gateway-secrets",
        description =
            "Directory of the gateways' broker password files (<user>.pass): the printed gateway"
                + " files connect as gw-<factory> (uplink) and gw-<factory>-stations (line"
                + " stations) with them. Without it they connect anonymously.")
    Path gatewaySecrets;

    @Option(
        names = "--secure",
        description =
            "Serve only secured endpoints (Basic256Sha256, Aes128_Sha256_RsaOaep,"
                + " Aes256_Sha256_RsaPss; Sign and SignAndEncrypt) for --user.")
    boolean secure;

    @Option(
        names = "--pki",
        defaultValue = "data/simulator-pki",
        description = "The secured server's certificate and trust lists.")
    Path pki;

    @Option(names = "--user", defaultValue = "gemba", description = "User name (with --secure).")
    String user;

    @Option(
        names = "--password-file",
        description = "File holding the user's password (with --secure; required then).")
    Path passwordFile;

    @Option(names = "--truth-log", description = "Append ground truth (JSON lines) here.")
    Path truthLog;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Park loaded;
      try {
        loaded = Park.load(park);
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 2;
      }
      ServerSettings settings =
          ServerSettings.plain(host, port).withModbusPort(modbusPort).withHistory(history);
      String security = "{ policy: None }";
      if (secure) {
        if (passwordFile == null || !Files.isReadable(passwordFile)) {
          spec.commandLine()
              .getErr()
              .println("error: --password-file: expected a readable file with --secure");
          return 2;
        }
        String password = Files.readString(passwordFile).strip();
        settings = settings.withSecurity(ServerSecurity.securedOnly(pki, Map.of(user, password)));
        security =
            "{ policy: Basic256Sha256, mode: SignAndEncrypt, user: { username: "
                + user
                + ", passwordFile: "
                + passwordFile.toAbsolutePath()
                + " } }";
      }
      TruthLog log = truthLog == null ? null : new TruthLog(truthLog);
      Consumer<MachineOee> sink = log == null ? m -> {} : log;
      SimClock clock = new SimClock(System.currentTimeMillis(), speed);
      ParkSimulation simulation;
      try {
        BrokerEndpoint stations = brokerOptions.endpoint(broker);
        simulation = ParkSimulation.start(loaded, settings, stations, clock, seed, sink);
      } catch (InvalidFieldException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        if (log != null) {
          log.close();
        }
        return 2;
      } catch (IllegalStateException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("error: " + park + ": " + e.getMessage());
        if (log != null) {
          log.close();
        }
        return e instanceof IllegalArgumentException ? 2 : 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      // The hook itself stops the simulation: the JVM does not wait for other threads on SIGTERM.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    simulation.close();
                    if (log != null) {
                      log.close();
                    }
                    stopped.countDown();
                  },
                  "simulators-stop"));
      // Where simulated time started and how fast it runs: what a load harness needs to turn the
      // simulated timestamps of readings back into the wall-clock time they were taken.
      out.println("# clock origin=" + clock.origin() + " speed=" + clock.speed());
      out.println(
          "# endpoint "
              + simulation.server().endpointUrl()
              + (secure
                  ? " (secured, user "
                      + user
                      + "; server certificate "
                      + SimulatorServer.certificateFile(pki).toAbsolutePath()
                      + ": copy it into each gateway's pki/trusted/certs, and each gateway's"
                      + " pki/own/certs/edge-agent.der into "
                      + pki.resolve("trusted/certs").toAbsolutePath()
                      + ")"
                  : " (security policy None)"));
      int ns = simulation.server().namespaceIndex();
      for (Factory factory : loaded.factories()) {
        String gateway =
            GatewayFiles.gateway(
                factory,
                gatewayBrokers(factory),
                Path.of("data/buffer/gw-" + factory.id()),
                simulation.server().endpointUrl(),
                ns,
                security,
                modbusPort > 0 ? "tcp://" + host + ":" + modbusPort : null,
                ModbusMachines.unitIds(loaded));
        if (gateway != null) {
          out.println("# --- gateway file for factory " + factory.id() + " ---");
          out.print(gateway);
        }
      }
      out.flush();
      stopped.await();
      return 0;
    }

    /** The printed gateway's brokers: this broker, as the gateway's own users when given. */
    private GatewayFiles.Brokers gatewayBrokers(Factory factory) {
      BrokerEndpoint plain = brokerOptions.endpoint(broker);
      if (gatewaySecrets == null) {
        BrokerEndpoint anonymous = plain.as(null, null);
        return new GatewayFiles.Brokers(anonymous, anonymous);
      }
      String uplink = Identities.gateway(factory.id());
      String stations = Identities.gatewayStations(factory.id());
      return new GatewayFiles.Brokers(
          plain.as(uplink, gatewaySecrets.resolve(uplink + ".pass")),
          plain.as(stations, gatewaySecrets.resolve(stations + ".pass")));
    }
  }

  /** Sums a ground-truth log: the true OEE per machine, line, factory or park over a time range. */
  @Command(
      name = "truth",
      mixinStandardHelpOptions = true,
      description = "Print the true OEE from a ground-truth log.")
  static final class Truth implements Callable<Integer> {

    @Option(names = "--log", required = true, description = "Ground-truth log (JSON lines).")
    Path log;

    @Option(names = "--park", description = "Park file; needed for --by line, factory or park.")
    Path park;

    @Option(
        names = "--by",
        defaultValue = "machine",
        description = "machine, line, factory or park (default ${DEFAULT-VALUE}).")
    String by;

    @Option(
        names = "--from",
        description = "First instant, ISO-8601 (e.g. 2026-11-23T06:00:00Z); default: the start.")
    Instant from;

    @Option(names = "--to", description = "Instant after the last, ISO-8601; default: the end.")
    Instant to;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      TruthQuery.Level level;
      try {
        level = TruthQuery.Level.valueOf(by.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        spec.commandLine()
            .getErr()
            .println("error: --by: expected machine, line, factory or park, got '" + by + "'");
        return 2;
      }
      try {
        Park loaded = park == null ? null : Park.load(park);
        List<TruthQuery.Row> rows =
            new TruthQuery()
                .summarize(
                    log,
                    loaded,
                    level,
                    from == null ? Instant.MIN : from,
                    to == null ? Instant.MAX : to);
        spec.commandLine().getOut().print(TruthQuery.table(rows));
        spec.commandLine().getOut().flush();
        return 0;
      } catch (ConfigException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 2;
      } catch (NoSuchFileException e) {
        spec.commandLine().getErr().println("error: --log: no such file " + e.getFile());
        return 2;
      }
    }
  }
}
