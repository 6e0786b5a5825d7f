package io.gemba.services;

import io.gemba.connect.InfluxEndpoint;
import io.gemba.connect.SecretFile;
import io.gemba.connect.TlsFiles;
import io.gemba.connect.TlsSockets;
import io.gemba.services.plant.InfluxAccounts;
import io.gemba.services.plant.InfluxSetup;
import io.gemba.services.plant.PlantSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's {@code influxd} (InfluxDB 1.x) on a loopback port, with its meta, data and WAL
 * directories under one directory. Both its HTTP port and its RPC port are free loopback ports, so
 * several instances can run on one machine.
 *
 * <p>Started {@linkplain #startSecured secured}, it is configured as a plant's should be: HTTPS
 * with a certificate of the plant's CA, authentication on, an admin that creates the databases and
 * the users, and each user granted only what its role needs ({@link InfluxAccounts}).
 */
public final class InfluxDatabase implements AutoCloseable {

  private final Path dir;
  private final int httpPort;
  private final int rpcPort;
  private final Secured secured;
  private final List<String> dataSettings;
  private final ChildProcess process;

  /** The secured set-up: the secrets and the accounts. */
  private record Secured(PlantSecrets secrets, InfluxAccounts accounts) {}

  private InfluxDatabase(
      Path dir,
      int httpPort,
      int rpcPort,
      Secured secured,
      List<String> dataSettings,
      ChildProcess process) {
    this.dir = dir;
    this.httpPort = httpPort;
    this.rpcPort = rpcPort;
    this.secured = secured;
    this.dataSettings = dataSettings;
    this.process = process;
  }

  /** Starts influxd on free loopback ports with its data under {@code dir}, without auth. */
  public static InfluxDatabase start(Path dir) {
    return start(dir, FreePorts.next(), FreePorts.next());
  }

  public static InfluxDatabase start(Path dir, int httpPort, int rpcPort) {
    return start(dir, httpPort, rpcPort, null, List.of());
  }

  /**
   * Starts influxd without auth and with extra lines in its {@code [data]} section, such as {@code
   * max-values-per-tag = 10}: for tests of what InfluxDB refuses.
   */
  public static InfluxDatabase startWithDataSettings(Path dir, List<String> dataSettings) {
    return start(dir, FreePorts.next(), FreePorts.next(), null, dataSettings);
  }

  /**
   * Starts influxd with HTTPS and authentication, then creates the admin, {@code databases} and the
   * users of {@code accounts} with their privileges (idempotent: a restart keeps them).
   */
  public static InfluxDatabase startSecured(
      Path dir, PlantSecrets secrets, InfluxAccounts accounts, List<String> databases) {
    InfluxDatabase db =
        start(dir, FreePorts.next(), FreePorts.next(), new Secured(secrets, accounts), List.of());
    try {
      new InfluxSetup(db.http(), db.url(), secrets, accounts).apply(databases);
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static InfluxDatabase start(
      Path dir, int httpPort, int rpcPort, Secured secured, List<String> dataSettings) {
    Path binary = Binaries.require("influxd", "influxdb");
    Path config = dir.resolve("influxdb.conf");
    try {
      Files.createDirectories(dir);
      Files.writeString(config, config(dir, httpPort, rpcPort, secured, dataSettings));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ChildProcess process =
        new ChildProcess(
            "influxd",
            List.of(binary.toString(), "-config", config.toString()),
            dir.resolve("influxd.log"));
    InfluxDatabase db = new InfluxDatabase(dir, httpPort, rpcPort, secured, dataSettings, process);
    process.start(db::ping, Duration.ofSeconds(30));
    return db;
  }

  private static String config(
      Path dir, int httpPort, int rpcPort, Secured secured, List<String> dataSettings) {
    Path abs = dir.toAbsolutePath();
    String tls = "";
    if (secured != null) {
      Path cert = secured.secrets().serverCertificate("influxdb", PlantSecrets.LOOPBACK);
      tls =
          String.join(
              "\n",
              "  auth-enabled = true",
              "  https-enabled = true",
              "  https-certificate = \"" + cert.toAbsolutePath() + "\"",
              "  https-private-key = \""
                  + secured.secrets().serverKey("influxdb").toAbsolutePath()
                  + "\"",
              "");
    }
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
        dataSettings.stream().map(line -> "  " + line + "\n").collect(Collectors.joining()),
        "[http]",
        "  enabled = true",
        "  bind-address = \"127.0.0.1:" + httpPort + "\"",
        "  log-enabled = false",
        tls + "[monitor]",
        "  store-enabled = false",
        "");
  }

  /** An HTTP client that trusts this database's certificate when it has one. */
  HttpClient http() {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (secured != null) {
      builder.sslContext(
          TlsSockets.context("influxdb", new TlsFiles(secured.secrets().caFile(), null, null))
              .context());
    }
    return builder.build();
  }

  private boolean ping() {
    try {
      HttpResponse<Void> response =
          http()
              .send(
                  HttpRequest.newBuilder(URI.create(url() + "/ping"))
                      .timeout(Duration.ofMillis(500))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 204;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Creates {@code database} if it does not exist (InfluxQL {@code CREATE DATABASE} is idempotent),
   * as the admin when the database is secured.
   */
  public void createDatabase(String database) {
    if (secured != null) {
      new InfluxSetup(http(), url(), secured.secrets(), secured.accounts())
          .apply(List.of(database));
      return;
    }
    try {
      String body =
          "q=" + URLEncoder.encode("CREATE DATABASE \"" + database + "\"", StandardCharsets.UTF_8);
      HttpResponse<String> response =
          http()
              .send(
                  HttpRequest.newBuilder(URI.create(url() + "/query"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "CREATE DATABASE " + database + " answered HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The URL of the v1 API, e.g. {@code http://127.0.0.1:48086} or {@code https://...}. */
  public String url() {
    return (secured == null ? "http" : "https") + "://127.0.0.1:" + httpPort;
  }

  /** This database for a client without credentials (refused when it is secured). */
  public InfluxEndpoint endpoint() {
    return new InfluxEndpoint(
        url(), null, null, secured == null ? null : secured.secrets().caFile(), false);
  }

  /**
   * This secured database as {@code user}, with the user's password file.
   *
   * @throws IllegalStateException when it runs without authentication
   */
  public InfluxEndpoint endpoint(String user) {
    if (secured == null) {
      throw new IllegalStateException("InfluxDB runs without authentication: it has no users");
    }
    return new InfluxEndpoint(
        url(), user, secured.secrets().influxPassword(user), secured.secrets().caFile(), false);
  }

  /** Whether HTTPS and authentication are on. */
  public boolean isSecured() {
    return secured != null;
  }

  /** The {@code Authorization} header of {@code user}, for tests that speak HTTP themselves. */
  public String basicAuthorization(String user) {
    String password = SecretFile.readString("password", endpoint(user).passwordFile());
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public Path dir() {
    return dir;
  }

  public InfluxDatabase restart() {
    process.close();
    return start(dir, httpPort, rpcPort, secured, dataSettings);
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
