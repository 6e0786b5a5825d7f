package io.gemba.sim;

import io.gemba.model.asset.MachineKind;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.oee.MachineOee;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.opcua.MachineNamespace;
import io.gemba.sim.truth.TruthLog;
import java.io.PrintWriter;
import java.nio.file.Path;
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

  /** Runs the CNC machines of a park on one OPC UA server until stopped. */
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

    @Option(names = "--truth-log", description = "Append closed ground-truth minutes here.")
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
      TruthLog log = truthLog == null ? null : new TruthLog(truthLog);
      Consumer<MachineOee> sink = log == null ? m -> {} : log;
      SimClock clock = new SimClock(System.currentTimeMillis(), speed);
      ParkSimulation simulation = ParkSimulation.start(loaded, host, port, clock, seed, sink);
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
      out.println("endpoint " + simulation.server().endpointUrl());
      int ns = simulation.server().namespaceIndex();
      for (MachinePlacement p : loaded.placements()) {
        if (p.machine().kind() == MachineKind.CNC) {
          out.println(
              "machine "
                  + p.machine().id()
                  + " state node ns="
                  + ns
                  + ";s="
                  + MachineNamespace.nodeName(p.machine().id(), CncMachine.STATE));
        }
      }
      out.flush();
      stopped.await();
      return 0;
    }
  }
}
