package io.gemba.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service binary run as a child process with its output in a log file. Stopping sends SIGTERM and
 * waits, then SIGKILL; the process is also stopped when the JVM exits, so a crashed test run leaves
 * no daemon behind.
 */
final class ChildProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final long ORDERLY_CLOSE_SECONDS = 20;

  private final String name;
  private final List<String> command;
  private final Path logFile;
  private final Thread shutdownHook;
  private Process process;
  private volatile boolean closed;

  ChildProcess(String name, List<String> command, Path logFile) {
    this.name = name;
    this.command = List.copyOf(command);
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::stopAtExit, "stop-" + name);
  }

  void start(BooleanSupplier ready, Duration timeout) {
    try {
      Files.createDirectories(logFile.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new ServiceStartException("cannot start " + name + " " + command + ": " + e, e);
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new ServiceStartException(
            name + " exited with code " + process.exitValue() + "; see " + logFile + "\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        destroyNow();
        throw new ServiceStartException(
            name + " did not answer within " + timeout.toSeconds() + " s; see " + logFile);
      }
      sleep(50);
    }
    log.info("service started name={} pid={} log={}", name, process.pid(), logFile);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Sends a POSIX signal (e.g. STOP, CONT, KILL) to the process, for outage tests. */
  void signal(String signal) {
    try {
      int exit =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (process == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook itself stops the process.
    }
    destroyNow();
    log.info("service stopped name={}", name);
  }

  private void stopAtExit() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ORDERLY_CLOSE_SECONDS);
    while (!closed && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        break;
      }
    }
    destroyNow();
  }

  private void destroyNow() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
