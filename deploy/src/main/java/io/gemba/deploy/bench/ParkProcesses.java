package io.gemba.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The processes of a load run, by name: Java programs it starts (each its own JVM on this class
 * path, logging to {@code <name>.log}, printing to {@code <name>.out} in the run's directory),
 * child processes already running (mosquitto, influxd), and the CPU seconds each has used.
 */
final class ParkProcesses implements AutoCloseable {

  private final Path dir;
  private final Map<String, ProcessHandle> components = new LinkedHashMap<>();
  private final List<Process> started = new ArrayList<>();

  ParkProcesses(Path dir) {
    this.dir = dir;
  }

  Set<String> names() {
    return components.keySet();
  }

  Process start(String name, String main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "-Dlogback.configurationFile="
                + System.getProperty("logback.configurationFile", "deploy/conf/logback.xml"),
            "-cp",
            System.getProperty("java.class.path"),
            main));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(false)
            .redirectError(dir.resolve(name + ".log").toFile())
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .start();
    started.add(p);
    components.put(name, p.toHandle());
    return p;
  }

  /** Counts a child process of this JVM whose command is {@code command} as {@code name}. */
  void track(String name, String command) {
    ProcessHandle.current()
        .children()
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
        .findFirst()
        .ifPresent(p -> components.put(name, p));
  }

  /** CPU seconds each component used so far, its threads and child processes included. */
  Map<String, Double> cpuSeconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : components.entrySet()) {
      out.put(e.getKey(), cpuOf(e.getValue().pid()));
    }
    return out;
  }

  private static double cpuOf(long pid) {
    try {
      // /proc/<pid>/stat: fields 14 and 15 are user and system time in clock ticks (100 Hz).
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).destroy();
    }
    for (Process p : started) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      p.destroyForcibly();
    }
  }
}
