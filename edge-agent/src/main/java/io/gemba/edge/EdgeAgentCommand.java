package io.gemba.edge;

import io.gemba.edge.config.GatewayConfig;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.YamlConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of the edge agent: {@code edge-agent run|validate --config FILE}, {@code edge-agent
 * browse --endpoint URL} and {@code edge-agent modbus scan --endpoint URL}.
 */
@Command(
    name = "edge-agent",
    mixinStandardHelpOptions = true,
    description = "Reads machines and forwards their telemetry to the plant broker.",
    subcommands = {
      EdgeAgentCommand.Run.class,
      EdgeAgentCommand.Validate.class,
      BrowseCommand.class,
      ModbusCommand.class
    })
public final class EdgeAgentCommand {

  /** Exit code for a configuration that cannot be used. */
  static final int BAD_CONFIG = 2;

  public static void main(String[] args) {
    System.exit(new CommandLine(new EdgeAgentCommand()).execute(args));
  }

  static GatewayConfig load(Path file, CommandLine commandLine) {
    try {
      return GatewayConfig.load(file);
    } catch (ConfigException e) {
      // Report every problem of the file at once, so that one edit fixes them all.
      List<ConfigException> problems = new YamlConfigLoader().problems(file, GatewayConfig.class);
      for (ConfigException problem : problems.isEmpty() ? List.of(e) : problems) {
        commandLine.getErr().println("error: " + problem.getMessage());
      }
      return null;
    }
  }

  /** Runs the agent until stopped. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the agent.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Gateway file (YAML).")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      GatewayConfig loaded = load(config, spec.commandLine());
      if (loaded == null) {
        return BAD_CONFIG;
      }
      EdgeAgent agent = EdgeAgent.start(loaded);
      // The hook itself stops the agent: the JVM does not wait for other threads on SIGTERM.
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    agent.close();
                    stopped.countDown();
                  },
                  "edge-agent-stop"));
      stopped.await();
      return 0;
    }
  }

  /** Checks a gateway file and exits 0 if it can be used, 2 if not. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Check a gateway file.")
  static final class Validate implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Gateway file (YAML).")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      GatewayConfig loaded = load(config, spec.commandLine());
      if (loaded == null) {
        return BAD_CONFIG;
      }
      spec.commandLine()
          .getOut()
          .println(
              config
                  + ": valid, gateway "
                  + loaded.gateway().id()
                  + ", "
                  + loaded.machines().size()
                  + " machines");
      return 0;
    }
  }
}
