package io.gemba.deploy.bench;

import com.sun.management.OperatingSystemMXBean;
import io.gemba.model.asset.MachinePlacement;
import io.gemba.model.asset.Park;
import io.gemba.services.FreePorts;
import io.gemba.sim.cnc.CncMachine;
import io.gemba.sim.cnc.NodeUpdate;
import io.gemba.sim.machine.SimulatedMachine;
import io.gemba.sim.opcua.MachineNodes;
import io.gemba.sim.opcua.ServerSettings;
import io.gemba.sim.opcua.SimulatorServer;
import io.gemba.sim.robot.RobotMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which scales better for hundreds of simulated OPC UA machines in one JVM: one server holding
 * every machine, or one server per machine (as real machines are)? Starts the first {@code N} OPC
 * UA machines of a park in the given layout, plays them at {@code --speed}, and reports start time,
 * threads, heap after GC, and CPU per written value. Run once per layout, each in its own JVM.
 *
 * <p>{@code java -cp 'deploy/target/gemba-deploy.jar:deploy/target/lib/*'
 * io.gemba.deploy.bench.ServerLayoutBench one|many [machines] [speed] [seconds] [park]}
 */
public final class ServerLayoutBench {

  public static void main(String[] args) throws Exception {
    boolean many = "many".equals(args.length > 0 ? args[0] : "one");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    double speed = args.length > 2 ? Double.parseDouble(args[2]) : 10;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    Path parkFile = Path.of(args.length > 4 ? args[4] : "deploy/parks/load.yaml");
    Park park = Park.load(parkFile);
    long origin = System.currentTimeMillis();
    List<SimulatedMachine> machines = new ArrayList<>();
    for (MachinePlacement p : park.placements()) {
      if (machines.size() == count) {
        break;
      }
      long seed = p.machine().id().hashCode();
      switch (p.machine().kind()) {
        case CNC -> machines.add(new CncMachine(p.machine(), p.factory().calendar(), seed, origin));
        case ROBOT ->
            machines.add(new RobotMachine(p.machine(), p.factory().calendar(), seed, origin));
        case LINE_STATION, INJECTION_MOULDING -> {}
      }
    }

    long start0 = System.nanoTime();
    List<SimulatorServer> servers = new ArrayList<>();
    List<SimulatorServer> serverOf = new ArrayList<>();
    if (many) {
      for (SimulatedMachine m : machines) {
        SimulatorServer server =
            SimulatorServer.start(
                ServerSettings.plain("127.0.0.1", FreePorts.next()), List.of(MachineNodes.of(m)));
        servers.add(server);
        serverOf.add(server);
      }
    } else {
      SimulatorServer server =
          SimulatorServer.start(
              ServerSettings.plain("127.0.0.1", FreePorts.next()),
              machines.stream().map(MachineNodes::of).toList());
      servers.add(server);
      machines.forEach(m -> serverOf.add(server));
    }
    double startMs = (System.nanoTime() - start0) / 1e6;
    System.gc();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    double heapMb = memory.getHeapMemoryUsage().getUsed() / 1e6;
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();

    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long written = 0;
    long cpu0 = 0;
    long wall0 = 0;
    long runUntil = System.nanoTime() + (10L + seconds) * 1_000_000_000L;
    boolean measuring = false;
    while (System.nanoTime() < runUntil) {
      if (!measuring && System.nanoTime() > runUntil - seconds * 1_000_000_000L) {
        measuring = true;
        written = 0;
        cpu0 = os.getProcessCpuTime();
        wall0 = System.nanoTime();
      }
      long now = origin + (long) ((System.currentTimeMillis() - origin) * speed);
      for (int i = 0; i < machines.size(); i++) {
        SimulatedMachine m = machines.get(i);
        for (NodeUpdate u : m.advanceTo(now)) {
          serverOf.get(i).namespace().apply(m.machine().id(), u);
          written++;
        }
        m.truth().closeUntil(now);
      }
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - wall0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    System.out.printf(
        "layout=%s machines=%d servers=%d start_ms=%.0f threads=%d heap_after_gc_mb=%.0f"
            + " values_per_s=%.0f cpu_per_s=%.2f values_per_cpu_s=%.0f%n",
        many ? "many" : "one",
        machines.size(),
        servers.size(),
        startMs,
        threads,
        heapMb,
        written / wall,
        cpu / wall,
        written / cpu);
    long close0 = System.nanoTime();
    servers.forEach(SimulatorServer::close);
    System.out.printf("close_ms=%.0f%n", (System.nanoTime() - close0) / 1e6);
    System.exit(0);
  }

  private ServerLayoutBench() {}
}
