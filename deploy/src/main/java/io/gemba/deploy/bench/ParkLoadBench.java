package io.gemba.deploy.bench;

import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.Role;
import io.gemba.api.security.UsersFile;
import io.gemba.model.asset.Factory;
import io.gemba.model.asset.Park;
import io.gemba.services.FreePorts;
import io.gemba.services.LocalServices;
import io.gemba.sim.GatewayFiles;
import io.gemba.sim.ParkSimulation;
import io.gemba.sim.machine.SimulatedMachine;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The whole chain under load, each part its own process on this machine: mosquitto and influxd, the
 * simulators (OPC UA server) at the speed that offers the asked rate of signal values, one edge
 * agent per factory, the KPI job (a local Flink MiniCluster) and the API. After a warm-up it
 * measures, over the asked minutes: the values stored per second, the values lost (sequence gaps
 * the KPI job found), the latency from sensor to InfluxDB (probed by polling the newest stored
 * reading of a few signals) and from sensor to the dashboards' live stream (an OEE minute arriving
 * over Server-Sent Events, from the reading that let it close), and the CPU seconds of each
 * process. Run it with {@code bench/run-park.sh}; docs/benchmarks.md#whole-park-load explains the
 * figures.
 */
public final class ParkLoadBench {

  private final Path dir;
  private final Park park;
  private final ParkProcesses processes;
  private long simOrigin;
  private double speed;
  private int samplingMs = 100;

  private ParkLoadBench(Path dir, Park park) {
    this.dir = dir;
    this.park = park;
    this.processes = new ParkProcesses(dir);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: ParkLoadBench <park.yaml> <values per second> <minutes> [warm-up seconds]"
              + " [OPC UA sampling ms]");
      System.exit(2);
    }
    Path parkFile = Path.of(args[0]);
    double rate = Double.parseDouble(args[1]);
    double minutes = Double.parseDouble(args[2]);
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 90;
    Path dir = Files.createTempDirectory("gemba-park-load");
    ParkLoadBench bench = new ParkLoadBench(dir, Park.load(parkFile));
    bench.samplingMs = args.length > 4 ? Integer.parseInt(args[4]) : 100;
    try {
      bench.run(parkFile, rate, minutes, warmUp);
    } finally {
      bench.processes.close();
    }
    System.exit(0);
  }

  /** Signal values the park's simulated machines offer per second of simulated time. */
  private double offeredPerSimSecond() {
    double perSecond = 0;
    for (SimulatedMachine m : ParkSimulation.machines(park, 1, 0, false)) {
      perSecond += m.machine().signals().size() * 1000.0 / m.samplePeriodMs();
    }
    return perSecond;
  }

  private void run(Path parkFile, double rate, double minutes, int warmUp) throws Exception {
    speed = rate / offeredPerSimSecond();
    System.out.printf(
        Locale.ROOT,
        "park %s: %.0f values per simulated second; speed %.2f for %.0f values/s; data in %s%n",
        park.id(),
        offeredPerSimSecond(),
        speed,
        rate,
        dir);
    try (LocalServices services = LocalServices.start(dir.resolve("services"))) {
      processes.track("mosquitto", "mosquitto");
      processes.track("influxd", "influxd");
      String mqtt = services.broker().url();
      String influx = services.influx().url();

      processes.start(
          "kpi-job",
          "io.gemba.jobs.KpiJobCommand",
          "--park=" + parkFile.toAbsolutePath(),
          "--mqtt=" + mqtt,
          "--influx=" + influx,
          // Simulated time runs ahead of the gateways' and the job's clocks: no clock fault.
          "--clock-tolerance=P3650D",
          "--max-ahead=P3650D");
      Path users = dir.resolve("users.yaml");
      Files.writeString(users, "users:\n  - { name: bench, role: park-operator }\n");
      Path key = dir.resolve("api.key");
      int apiPort = FreePorts.next();
      processes.start(
          "api",
          "io.gemba.api.ApiCommand",
          "--park=" + parkFile.toAbsolutePath(),
          "--users=" + users,
          "--key-file=" + key,
          "--influx=" + influx,
          "--mqtt=" + mqtt,
          "--rate-limit=1000",
          "--port=" + apiPort);
      Process simulators =
          processes.start(
              "simulators",
              "io.gemba.sim.SimulatorsCommand",
              "run",
              "--park=" + parkFile.toAbsolutePath(),
              "--port=" + FreePorts.next(),
              "--broker=" + mqtt,
              "--truth-log=" + dir.resolve("truth.jsonl"),
              String.format(Locale.ROOT, "--speed=%.4f", speed));
      Map<String, String> gateways = gatewayFiles(simulators);
      for (Factory f : park.factories()) {
        Path file = dir.resolve("gw-" + f.id() + ".yaml");
        // The simulators' gateway files sample every 100 ms with a queue of one, which caps a
        // signal at 10 values/s however fast the machines change; sample faster, and queue what
        // a publishing interval collects.
        Files.writeString(
            file,
            GatewayFiles.withSimulatedClock(gateways.get(f.id()))
                .replace(
                    "samplingMs: 100 }",
                    "samplingMs: "
                        + samplingMs
                        + ", queueSize: "
                        + Math.max(1, 100 / samplingMs)
                        + " }"));
        processes.start(
            "edge-agent-" + f.id(), "io.gemba.edge.EdgeAgentCommand", "run", "--config=" + file);
      }
      String token = token(key, users);
      String api = "http://127.0.0.1:" + apiPort;
      awaitHealthy(api);

      System.out.printf("warming up for %d s...%n", warmUp);
      Thread.sleep(warmUp * 1000L);
      measure(influx, api, token, minutes);
    }
  }

  private void measure(String influx, String api, String token, double minutes) throws Exception {
    LatencyProbes probes = new LatencyProbes(park, simOrigin, speed);
    Map<String, Double> cpu0 = processes.cpuSeconds();
    long wallStart = System.currentTimeMillis();
    long simStart = probes.simTime(wallStart);
    long windowMs = (long) (minutes * 60_000);
    AtomicBoolean running = new AtomicBoolean(true);
    Histogram toInflux = new ConcurrentHistogram(3);
    Histogram toSse = new ConcurrentHistogram(3);
    CompletableFuture<Void> probe =
        CompletableFuture.runAsync(() -> probes.probeInflux(influx, running, toInflux));
    CompletableFuture<Void> live =
        CompletableFuture.runAsync(() -> probes.followLive(api, token, running, toSse));
    Thread.sleep(windowMs);
    long wallEnd = System.currentTimeMillis();
    long simEnd = probes.simTime(wallEnd);
    Map<String, Double> cpu1 = processes.cpuSeconds();
    running.set(false);
    probe.get(30, TimeUnit.SECONDS);
    live.cancel(true);

    // Readings taken in the window that reached InfluxDB (allowing 30 s for the last of them).
    Thread.sleep(30_000);
    long stored =
        LatencyProbes.count(
            influx,
            "SELECT count(value) FROM telemetry WHERE time >= "
                + simStart
                + "ms AND time < "
                + simEnd
                + "ms");
    long gapped = LatencyProbes.count(influx, "SELECT sum(missing) FROM gaps");
    // Counted independently: the values the machines exposed in the whole minutes of the window
    // (the simulators' own count) against the values stored for them.
    long fromMinute = Math.floorDiv(simStart + 59_999, 60_000) * 60_000;
    long toMinute = Math.floorDiv(simEnd, 60_000) * 60_000;
    Map<String, Long> exposed =
        IndependentLoss.exposed(dir.resolve("truth.jsonl"), fromMinute, toMinute);
    long storedInMinutes =
        LatencyProbes.count(
            influx,
            IndependentLoss.storedQuery(
                park.placements().stream().map(p -> p.machine().id()).toList(),
                fromMinute,
                toMinute));
    long lost = IndependentLoss.lost(exposed, storedInMinutes);
    double seconds = (wallEnd - wallStart) / 1000.0;
    double valuesPerSecond = stored / seconds;
    StringBuilder cpu = new StringBuilder();
    for (String name : processes.names()) {
      double used = cpu1.getOrDefault(name, 0.0) - cpu0.getOrDefault(name, 0.0);
      cpu.append(cpu.length() == 0 ? "" : ",")
          .append(String.format(Locale.ROOT, "%s:%.1f", name, used));
    }
    System.out.printf(
        Locale.ROOT,
        "window %.0f s (simulated %.0f s at speed %.2f): %d values stored, %.0f values/s;"
            + " in its whole minutes %d values exposed by the machines, %d stored, %d lost;"
            + " %d envelopes missing in sequence gaps%n",
        seconds,
        (simEnd - simStart) / 1000.0,
        speed,
        stored,
        valuesPerSecond,
        exposed.values().stream().mapToLong(Long::longValue).sum(),
        storedInMinutes,
        lost,
        gapped);
    printLatency("sensor->InfluxDB (polled every 100 ms)", "probes", toInflux);
    printLatency("sensor->SSE", "OEE minutes", toSse);
    System.out.printf(
        Locale.ROOT,
        "values_per_s=%.0f lost=%d gaps=%d p50_ms=%.0f p99_ms=%.0f cpu_s=%s%n",
        valuesPerSecond,
        lost,
        gapped,
        toSse.getValueAtPercentile(50) / 1.0,
        toSse.getValueAtPercentile(99) / 1.0,
        cpu);
  }

  private static void printLatency(String path, String samples, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "%s: %d %s, p50 %d ms, p99 %d ms, max %d ms%n",
        path,
        h.getTotalCount(),
        samples,
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(99),
        h.getMaxValue());
  }

  /** The gateway files the simulators print, by factory, once they print them. */
  private Map<String, String> gatewayFiles(Process simulators) throws Exception {
    Path out = dir.resolve("simulators.out");
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      String text = Files.exists(out) ? Files.readString(out) : "";
      Map<String, String> files = new LinkedHashMap<>();
      String[] parts = text.split("# --- gateway file for factory ");
      for (int i = 1; i < parts.length; i++) {
        String id = parts[i].substring(0, parts[i].indexOf(' '));
        files.put(id, parts[i].substring(parts[i].indexOf('\n') + 1));
      }
      if (files.size() == park.factories().size() && text.endsWith("\n")) {
        for (String line : text.split("\n")) {
          if (line.startsWith("# clock origin=")) {
            simOrigin = Long.parseLong(line.replaceAll(".*origin=(\\d+).*", "$1"));
          }
        }
        if (simOrigin == 0) {
          throw new IllegalStateException("the simulators did not print their clock origin");
        }
        return files;
      }
      if (!simulators.isAlive()) {
        throw new IllegalStateException(
            "the simulators stopped: " + Files.readString(dir.resolve("simulators.log")));
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the simulators printed no gateway files within 120 s");
  }

  private String token(Path key, Path users) throws Exception {
    for (int i = 0; i < 600 && !Files.exists(key); i++) {
      Thread.sleep(100);
    }
    Vertx vertx = Vertx.vertx();
    try {
      UsersFile list = new UsersFile(List.of(new ApiUser("bench", Role.PARK_OPERATOR, null)));
      return new ApiSecurity(vertx, ApiSecurity.loadOrCreateKey(key), list, 1)
          .issue(list.users().get(0), Duration.ofHours(12));
    } finally {
      vertx.close();
    }
  }

  private static void awaitHealthy(String api) throws Exception {
    for (int i = 0; i < 600; i++) {
      try {
        if (LatencyProbes.HTTP
                .send(
                    HttpRequest.newBuilder(URI.create(api + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the API did not become healthy within 60 s");
  }
}
