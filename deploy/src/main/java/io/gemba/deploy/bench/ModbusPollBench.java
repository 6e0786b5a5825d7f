package io.gemba.deploy.bench;

import io.gemba.edge.EdgeAgentCommand;
import io.gemba.services.FreePorts;
import io.gemba.services.MosquittoBroker;
import io.gemba.sim.modbus.ModbusDevices;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The edge agent polling Modbus TCP devices: {@code devices} units behind one port (the simulators'
 * Modbus server, in this JVM), each with {@code registers} float32 values (two registers each)
 * written every {@code updateMs}; the agent in its own JVM polls each device every {@code
 * intervalMs} (its float32s adjacent, so one request per device per poll while they fit in 125
 * registers) and forwards to mosquitto at QoS 1 with its disk buffer; a subscriber counts the
 * values and their latency from the poll that read them to arrival.
 *
 * <p>Reports values forwarded per second, requests per second, the agent's CPU seconds (from /proc)
 * and CPU per value.
 *
 * <p>{@code java -cp 'deploy/target/gemba-deploy.jar:deploy/target/lib/*'
 * io.gemba.deploy.bench.ModbusPollBench [devices] [registers] [seconds] [intervalMs] [updateMs]}
 */
public final class ModbusPollBench {

  private static final long WARMUP_MS = 15_000;

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int values = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int intervalMs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int updateMs = args.length > 4 ? Integer.parseInt(args[4]) : 50;
    Path dir = Files.createTempDirectory("gemba-modbus-bench");
    int modbusPort = FreePorts.next();
    try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        ModbusDevices server = ModbusDevices.start("127.0.0.1", modbusPort)) {
      TelemetryTally tally = new TelemetryTally(broker.url(), "modbus-bench-sub");
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config, gatewayYaml(broker.url(), modbusPort, dir, devices, values, intervalMs));
      Process agent =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
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
                  // Every value changes at every update, so every poll reads a new one.
                  byte[] registers = new byte[4 * values];
                  ByteBuffer b = ByteBuffer.wrap(registers);
                  for (int v = 0; v < values; v++) {
                    b.putFloat(tick + v / 100f);
                  }
                  for (int d = 1; d <= devices; d++) {
                    server.unit(d).write(w -> w.input(0, registers));
                  }
                  tick++;
                  next += updateMs * 1_000_000L;
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
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
        long got = tally.values();
        int requestsPerPoll = (2 * values + 124) / 125;
        System.out.printf(
            "modbus-poll devices=%d values_per_device=%d interval_ms=%d update_ms=%d"
                + " offered_per_s=%.0f values_per_s=%.0f requests_per_s=%.0f agent_cpu_s=%.1f"
                + " agent_cpu_us_per_value=%.2f values_per_agent_core_s=%.0f p50_ms=%d p99_ms=%d%n",
            devices,
            values,
            intervalMs,
            updateMs,
            devices * values * 1000.0 / intervalMs,
            got / wall,
            devices * requestsPerPoll * 1000.0 / intervalMs,
            agentCpu,
            agentCpu * 1e6 / Math.max(1, got),
            got / Math.max(0.001, agentCpu),
            tally.percentile(0.50),
            tally.percentile(0.99));
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
      String broker, int port, Path dir, int devices, int values, int intervalMs) {
    StringBuilder yaml =
        new StringBuilder()
            .append("gateway: { id: gw-bench, factory: bench }\n")
            .append("uplink: { broker: ")
            .append(broker)
            .append(", batchDelayMs: 100 }\n")
            .append("buffer: { dir: ")
            .append(dir.resolve("buffer"))
            .append(", maxBytes: 1GiB }\n")
            .append("machines:\n");
    for (int d = 1; d <= devices; d++) {
      yaml.append("  - id: m-")
          .append(d)
          .append("\n    line: l1\n    modbus:\n      endpoint: tcp://127.0.0.1:")
          .append(port)
          .append("\n      unitId: ")
          .append(d)
          .append("\n      intervalMs: ")
          .append(intervalMs)
          .append("\n      signals:\n");
      for (int v = 0; v < values; v++) {
        yaml.append("        - { name: v")
            .append(v)
            .append(", table: input, address: ")
            .append(2 * v)
            .append(", type: float32 }\n");
      }
    }
    return yaml.toString();
  }

  private ModbusPollBench() {}
}
