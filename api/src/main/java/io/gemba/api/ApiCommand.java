package io.gemba.api;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.PasswordsFile;
import io.gemba.api.security.SignIn;
import io.gemba.api.security.UsersFile;
import io.gemba.api.store.InfluxKpiStore;
import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.InfluxEndpoint;
import io.gemba.connect.SecretFile;
import io.gemba.connect.cli.BrokerOptions;
import io.gemba.connect.cli.InfluxOptions;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.model.config.InvalidFieldException;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command line of the API: {@code api --park FILE --users FILE --influx URL [...]} serves the API
 * and the dashboards; {@code api token} issues a bearer token, {@code api passwd} sets a user's
 * password. The serving options are checked when serving, so the subcommands take only their own.
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "Serves the HTTP API and the dashboards.",
    subcommands = {TokenCommand.class, PasswdCommand.class})
public final class ApiCommand implements Callable<Integer> {

  @Option(
      names = "--users",
      description =
          "Users file (YAML): who may call the API, with their role and factory. Required.")
  Path users;

  @Option(
      names = "--passwords",
      description =
          "Passwords file of the users who sign in (written by 'api passwd'); without it,"
              + " signing in is off and only tokens work.")
  Path passwords;

  @Option(
      names = "--key-file",
      defaultValue = "data/api/api.key",
      description =
          "The key tokens are signed with; created (owner-readable only) if missing. Default:"
              + " ${DEFAULT-VALUE}.")
  Path keyFile;

  @Option(
      names = "--mqtt",
      description =
          "The plant broker, ssl://host:8883 (or tcp://), whose live KPI topics /api/v1/live"
              + " streams; without it the live stream answers 503.")
  String mqtt;

  @Mixin BrokerOptions mqttOptions = new BrokerOptions();

  @Option(
      names = "--rate-limit",
      defaultValue = "50",
      description = "Requests per second per user, bursts of twice that; beyond: 429.")
  double rateLimit;

  @Option(
      names = "--cors-origin",
      description =
          "An origin allowed to call the API from a browser (repeatable); none by default.")
  List<String> corsOrigins = new ArrayList<>();

  @Option(
      names = "--oee-bands",
      defaultValue = "65,85",
      description =
          "The dashboards' OEE colours, RED,GREEN in percent: below RED red, above GREEN green,"
              + " between yellow. Default: ${DEFAULT-VALUE}.")
  String oeeBands;

  @Option(names = "--park", description = "Park file (YAML). Required.")
  Path park;

  @Option(
      names = "--influx",
      description = "InfluxDB URL: https://host:8086 (or http://). Required.")
  String influx;

  @Mixin InfluxOptions influxOptions = new InfluxOptions();

  @Option(
      names = "--database",
      defaultValue = "gemba",
      description = "The KPI job's InfluxDB database, which the API reads.")
  String database;

  @Option(
      names = "--actions-database",
      defaultValue = "gemba_actions",
      description =
          "The InfluxDB database of what people do (acknowledgements): the only one the API"
              + " writes. Default: ${DEFAULT-VALUE}.")
  String actionsDatabase;

  @Option(
      names = "--query-timeout",
      defaultValue = "PT10S",
      description =
          "How long one InfluxDB query may take before the request fails with 503 (ISO-8601,"
              + " default ${DEFAULT-VALUE}).")
  Duration queryTimeout;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address.")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP(S) port.")
  int port;

  @Option(names = "--tls-cert", description = "PEM certificate (chain) to serve HTTPS with.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "Its PEM private key (owner-readable only).")
  Path tlsKey;

  @Option(
      names = "--http-allow-plaintext",
      description =
          "Serve plain HTTP on an address other than loopback: only behind a proxy that"
              + " terminates TLS.")
  boolean httpAllowPlaintext;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Park loaded;
    UsersFile userList;
    InfluxEndpoint store;
    BrokerEndpoint broker;
    OeeBands bands;
    ApiVerticle.ServerTls tls;
    try {
      require("--park", park);
      require("--users", users);
      require("--influx", influx);
      loaded = Park.load(park);
      userList = UsersFile.load(users, loaded);
      store = influxOptions.endpoint(influx);
      broker = mqtt == null ? null : mqttOptions.endpoint(mqtt);
      bands = OeeBands.parsePercent(oeeBands);
      tls = serverTls();
      if (passwords != null) {
        SecretFile.read("--passwords", passwords);
      }
      if (!(rateLimit > 0)) {
        throw new InvalidFieldException("--rate-limit", "expected a positive number");
      }
    } catch (ConfigException | InvalidFieldException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: --oee-bands: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ApiSecurity security;
    try {
      security = new ApiSecurity(vertx, ApiSecurity.loadOrCreateKey(keyFile), userList, rateLimit);
    } catch (InvalidFieldException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      vertx.close();
      return 2;
    }
    ApiVerticle api =
        new ApiVerticle(
                loaded,
                new InfluxKpiStore(store, database, actionsDatabase, queryTimeout),
                security,
                corsOrigins,
                broker == null ? null : LiveFeed.start(vertx, broker),
                host,
                port)
            .oeeBands(bands)
            .tls(tls);
    if (passwords != null) {
      api.signIn(new SignIn(vertx, security, userList, new PasswordsFile(passwords), tls != null));
    }
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
    spec.commandLine().getOut().println("dashboard " + api.baseUrl() + "/");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx.close().await(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    spec.commandLine().getErr().println("api did not stop cleanly: " + e);
                  }
                  stopped.countDown();
                },
                "api-stop"));
    stopped.await();
    return 0;
  }

  private static void require(String option, Object value) {
    if (value == null) {
      throw new InvalidFieldException(option, "required to serve the API");
    }
  }

  /** The TLS files, checked; null for plain HTTP, which only loopback gets without asking. */
  private ApiVerticle.ServerTls serverTls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new InvalidFieldException(
          tlsCert == null ? "--tls-cert" : "--tls-key",
          "expected --tls-cert and --tls-key together");
    }
    if (tlsCert != null) {
      SecretFile.read("--tls-key", tlsKey);
      return new ApiVerticle.ServerTls(tlsCert, tlsKey);
    }
    if (!isLoopback(host) && !httpAllowPlaintext) {
      throw new InvalidFieldException(
          "--host",
          "serving plain HTTP on "
              + host
              + " would send passwords and tokens in clear: give --tls-cert and --tls-key, or"
              + " --http-allow-plaintext behind a proxy that terminates TLS");
    }
    return null;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
