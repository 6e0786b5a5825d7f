package io.gemba.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code influxd} (InfluxDB 1.x) on a loopback port, with its meta, data and WAL
 * directories under one directory. Both its HTTP port and its RPC port are free loopback ports, so
 * several instances can run on one machine.
 */
public final class InfluxDatabase implements AutoCloseable {

  private final Path dir;
  private final int httpPort;
  private final int rpcPort;
  private final ChildProcess process;

  private InfluxDatabase(Path dir, int httpPort, int rpcPort, ChildProcess process) {
    this.dir = dir;
    this.httpPort = httpPort;
    this.rpcPort = rpcPort;
    this.process = process;
  }

  /** Starts influxd on free loopback ports with its data under {@code dir}. */
  public static InfluxDatabase start(Path dir) {
    return start(dir, ChildProcess.freePort(), ChildProcess.freePort());
  }

  public static InfluxDatabase start(Path dir, int httpPort, int rpcPort) {
    Path binary = Binaries.require("influxd", "influxdb");
    Path config = dir.resolve("influxdb.conf");
    try {
      Files.createDirectories(dir);
      Files.writeString(config, config(dir, httpPort, rpcPort));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ChildProcess process =
        new ChildProcess(
            "influxd",
            List.of(binary.toString(), "-config", config.toString()),
            dir.resolve("influxd.log"));
    process.start(() -> ping(httpPort), Duration.ofSeconds(30));
    return new InfluxDatabase(dir, httpPort, rpcPort, process);
  }

  private static String config(Path dir, int httpPort, int rpcPort) {
    Path abs = dir.toAbsolutePath();
    return String.join(
        "\n",
        "# Written by Gemba's local services; regenerated on every start.",
        // Debian's 1.6 build reads this key (not reporting-disabled).
        "reporting-enabled = false",
        "bind-address = \"127.0.0.1:" + rpcPort + "\"",
        "[meta]",
        "  dir = \"" + abs.resolve("meta") + "\"",
        "[data]",
        "  dir = \"" + abs.resolve("data") + "\"",
        "  wal-dir = \"" + abs.resolve("wal") + "\"",
        "  query-log-enabled = false",
        "[http]",
        "  enabled = true",
        "  bind-address = \"127.0.0.1:" + httpPort + "\"",
        "  log-enabled = false",
        "[monitor]",
        "  store-enabled = false",
        "");
  }

  private static boolean ping(int port) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/ping").toURL().openConnection();
      connection.setConnectTimeout(200);
      connection.setReadTimeout(500);
      int status = connection.getResponseCode();
      connection.disconnect();
      return status == 204;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates {@code database} if it does not exist (InfluxQL {@code CREATE DATABASE} is idempotent).
   */
  public void createDatabase(String database) {
    try {
      String body =
          "q=" + URLEncoder.encode("CREATE DATABASE \"" + database + "\"", StandardCharsets.UTF_8);
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(url() + "/query").toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
      connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      int status = connection.getResponseCode();
      connection.disconnect();
      if (status != 200) {
        throw new IllegalStateException("CREATE DATABASE " + database + " answered HTTP " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HTTP URL of the v1 API, e.g. {@code http://127.0.0.1:48086}. */
  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path dir() {
    return dir;
  }

  public InfluxDatabase restart() {
    process.close();
    return start(dir, httpPort, rpcPort);
  }

  public void pause() {
    process.signal("STOP");
  }

  public void resume() {
    process.signal("CONT");
  }

  @Override
  public void close() {
    process.close();
  }
}
