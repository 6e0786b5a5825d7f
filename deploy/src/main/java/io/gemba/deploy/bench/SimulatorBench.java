package io.gemba.deploy.bench;

import com.sun.management.OperatingSystemMXBean;
import io.gemba.model.asset.Park;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.SimClock;
import io.gemba.sim.opcua.ServerSettings;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * How many signal values one simulator JVM produces and writes into its OPC UA server per second of
 * CPU: plays a park at {@code --speed} for a while with no client connected and reports updates per
 * second and per CPU-second (the figure for one core).
 *
 * <p>{@code java -cp 'deploy/target/gemba-deploy.jar:deploy/target/lib/*'
 * io.gemba.deploy.bench.SimulatorBench [park] [speed] [seconds]}
 */
public final class SimulatorBench {

  public static void main(String[] args) throws Exception {
    Path parkFile = Path.of(args.length > 0 ? args[0] : "deploy/parks/load.yaml");
    double speed = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Park park = Park.load(parkFile);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (ParkSimulation simulation =
        ParkSimulation.start(
            park,
            ServerSettings.plain("127.0.0.1", port),
            new SimClock(System.currentTimeMillis(), speed),
            1,
            m -> {})) {
      Thread.sleep(10_000);
      long updates0 = simulation.updatesApplied();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Thread.sleep(seconds * 1_000L);
      double wall = (System.nanoTime() - wall0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      long updates = simulation.updatesApplied() - updates0;
      System.out.printf(
          "simulator park=%s machines=%d speed=%.0f updates_per_s=%.0f cpu_s=%.1f"
              + " updates_per_cpu_s=%.0f%n",
          parkFile.getFileName(),
          park.placements().size(),
          speed,
          updates / wall,
          cpu,
          updates / cpu);
    }
  }

  private SimulatorBench() {}
}
