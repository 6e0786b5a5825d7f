package io.gemba.sim;

import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.oee.MachineOee;
import io.gemba.sim.opcua.ServerSecurity;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import io.gemba.sim.truth.TruthLog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the simulators: {@code simulators run --park FILE}. */
@Command(
    name = "simulators",
    mixinStandardHelpOptions = true,
    description = "Simulated machines with ground truth.",
    subcommands = {SimulatorsCommand.Run.class})
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

    @Option(names = "--speed", defaultValue = "1", description = "Simulated seconds per second.")
    double speed;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every schedule.")
    long seed;

    @Option(
        names = "--broker",
        defaultValue = "tcp://127.0.0.1:1883",
        description =
            "Broker the line stations publish to, also written into the printed gateway files"
                + " as the plant broker.")
    String broker;

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
      ServerSettings settings = ServerSettings.plain(host, port);
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
        simulation = ParkSimulation.start(loaded, settings, broker, clock, seed, sink);
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        if (log != null) {
          log.close();
        }
        return 1;
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
                broker,
                Path.of("data/buffer/gw-" + factory.id()),
                simulation.server().endpointUrl(),
                ns,
                security,
                broker);
        if (gateway != null) {
          out.println("# --- gateway file for factory " + factory.id() + " ---");
          out.print(gateway);
        }
      }
      out.flush();
      stopped.await();
      return 0;
    }
  }
}
