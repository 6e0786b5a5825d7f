package io.gemba.deploy.bench;

import io.gemba.edge.EdgeAgentCommand;
import io.gemba.model.asset.Machine;
import io.gemba.model.asset.MachineKind;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.opcua.MachineNodes;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The edge agent's whole path from OPC UA to the broker: a Milo server with {@code machines × 3}
 * double variables, all written every {@code updateMs}; the agent (its own JVM, as on a gateway)
 * subscribes to every variable with that sampling interval and forwards to a real mosquitto at QoS
 * 1 with its disk buffer (fsync on); a subscriber counts the values and their latency from the
 * value's source timestamp (when it was written on the server) to arrival.
 *
 * <p>Reports the sustained rate, the agent's CPU seconds (from /proc) and CPU per value, and the
 * latency percentiles after a warm-up. Everything shares this machine's cores, so the rate is what
 * the box sustains with the server, broker and subscriber on it; the agent's cost per value says
 * what one core of agent carries.
 *
 * <p>{@code java -cp 'deploy/target/gemba-deploy.jar:deploy/target/lib/*'
 * io.gemba.deploy.bench.OpcUaIntakeBench [machines] [seconds] [updateMs] [batchDelayMs]
 * [publishingMs]}
 */
public final class OpcUaIntakeBench {

  private static final List<String> SIGNALS =
      List.of(CncMachine.SPINDLE_SPEED, CncMachine.SPINDLE_LOAD, CncMachine.TEMPERATURE);
  private static final long WARMUP_MS = 15_000;

  public static void main(String[] args) throws Exception {
    int machines = args.length > 0 ? Integer.parseInt(args[0]) : 700;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int updateMs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int batchDelayMs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int publishingMs = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    Path dir = Files.createTempDirectory("gemba-intake-bench");
    List<Machine> fleet = new ArrayList<>();
    for (int m = 0; m < machines; m++) {
      fleet.add(new Machine("m-" + m, null, MachineKind.CNC, 20, List.of()));
    }
    int opcPort = FreePorts.next();
    int metricsPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        SimulatorServer server =
            SimulatorServer.start(
                ServerSettings.plain("127.0.0.1", opcPort),
                fleet.stream().map(MachineNodes::cnc).toList())) {
      TelemetryTally tally = new TelemetryTally(broker.url(), "intake-bench-sub");

      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          gatewayYaml(
              broker.url(),
              server.endpointUrl(),
              dir,
              fleet,
              updateMs,
              batchDelayMs,
              publishingMs,
              metricsPort));
      Process agent =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  System.getProperty("bench.agent.jvmArg", "-Dbench=1"),
                  "-Dlogback.configurationFile=deploy/conf/logback.xml",
                  "-cp",
                  System.getProperty("java.class.path"),
                  EdgeAgentCommand.class.getName(),
                  "run",
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("agent.log").toFile())
              .start();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                long tick = 0;
                long next = System.nanoTime();
                while (writing.get()) {
                  long now = System.currentTimeMillis();
                  for (Machine m : fleet) {
                    for (String s : SIGNALS) {
                      server.namespace().apply(m.id(), new NodeUpdate(s, (double) tick, now));
                    }
                  }
                  tick++;
                  next += updateMs * 1_000_000L;
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  }
                }
              },
              "bench-writer");
      writer.start();
      try {
        Thread.sleep(WARMUP_MS);
        long cpuStart = TelemetryTally.cpuTicks(agent.pid());
        long start = System.nanoTime();
        tally.measuring(true);
        Thread.sleep(seconds * 1_000L);
        tally.measuring(false);
        double wall = (System.nanoTime() - start) / 1e9;
        double agentCpu = (TelemetryTally.cpuTicks(agent.pid()) - cpuStart) / 100.0;
        long values = tally.values();
        System.out.printf(
            "opcua-intake machines=%d items=%d update_ms=%d publishing_ms=%d batch_ms=%d"
                + " offered_per_s=%.0f values_per_s=%.0f agent_cpu_s=%.1f"
                + " agent_cpu_us_per_value=%.2f values_per_agent_core_s=%.0f p50_ms=%d p99_ms=%d"
                + " p999_ms=%d max_ms=%d%n",
            machines,
            machines * SIGNALS.size(),
            updateMs,
            publishingMs,
            batchDelayMs,
            machines * SIGNALS.size() * 1000.0 / updateMs,
            values / wall,
            agentCpu,
            agentCpu * 1e6 / Math.max(1, values),
            values / Math.max(0.001, agentCpu),
            tally.percentile(0.50),
            tally.percentile(0.99),
            tally.percentile(0.999),
            tally.percentile(1.0));
      } finally {
        writing.set(false);
        writer.join();
        agent.destroy();
        agent.waitFor(30, TimeUnit.SECONDS);
        tally.close();
      }
    }
  }

  private static String gatewayYaml(
      String broker,
      String endpoint,
      Path dir,
      List<Machine> fleet,
      int samplingMs,
      int batchDelayMs,
      int publishingMs,
      int metricsPort) {
    StringBuilder yaml =
        new StringBuilder()
            .append("gateway: { id: gw-bench, factory: bench }\n")
            .append("uplink: { broker: ")
            .append(broker)
            .append(", batchDelayMs: ")
            .append(batchDelayMs)
            .append(" }\n")
            .append("buffer: { dir: ")
            .append(dir.resolve("buffer"))
            .append(", maxBytes: 1GiB }\n")
            .append("metrics: { host: 127.0.0.1, port: ")
            .append(metricsPort)
            .append(" }\n")
            .append("machines:\n");
    for (Machine m : fleet) {
      yaml.append("  - id: ")
          .append(m.id())
          .append("\n    line: l1\n    opcua:\n      endpoint: ")
          .append(endpoint)
          .append("\n      security: { policy: None }\n      publishingIntervalMs: ")
          .append(publishingMs)
          .append("\n      signals:\n");
      for (String s : SIGNALS) {
        yaml.append("        - { name: ")
            .append(s.toLowerCase().replace('.', '_'))
            .append(", node: \"ns=2;s=")
            .append(m.id())
            .append('/')
            .append(s)
            .append("\", samplingMs: ")
            .append(samplingMs)
            .append(" }\n");
      }
    }
    return yaml.toString();
  }

  private OpcUaIntakeBench() {}
}
