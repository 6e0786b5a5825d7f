package io.gemba.api;

import io.gemba.api.live.LiveFeed;
import io.gemba.api.security.ApiSecurity;
import io.gemba.api.security.ApiUser;
import io.gemba.api.security.UsersFile;
import io.gemba.api.store.InfluxKpiStore;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of the API: {@code api --park FILE --influx URL --users FILE [--port N]}, and {@code
 * api token --user NAME} to issue a bearer token.
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "Serves the HTTP API and the dashboards.",
    subcommands = ApiCommand.TokenCommand.class)
public final class ApiCommand implements Callable<Integer> {

  @Option(
      names = "--users",
      required = true,
      description = "Users file (YAML): who may call the API, with their role and factory.")
  Path users;

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
          "The plant broker, tcp://host:port, whose live KPI topics /api/v1/live streams; without"
              + " it the live stream answers 503.")
  String mqtt;

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

  @Option(names = "--park", required = true, description = "Park file (YAML).")
  Path park;

  @Option(names = "--influx", required = true, description = "InfluxDB URL, http://host:8086.")
  String influx;

  @Option(names = "--database", defaultValue = "gemba", description = "InfluxDB database.")
  String database;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Bind address.")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port.")
  int port;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Park loaded;
    UsersFile userList;
    try {
      loaded = Park.load(park);
      userList = UsersFile.load(users, loaded);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    OeeBands bands;
    try {
      bands = OeeBands.parsePercent(oeeBands);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: --oee-bands: " + e.getMessage());
      return 2;
    }
    if (!(rateLimit > 0)) {
      spec.commandLine().getErr().println("error: --rate-limit: expected a positive number");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ApiSecurity security =
        new ApiSecurity(vertx, ApiSecurity.loadOrCreateKey(keyFile), userList, rateLimit);
    ApiVerticle api =
        new ApiVerticle(
            loaded,
            new InfluxKpiStore(influx, database),
            security,
            corsOrigins,
            mqtt == null ? null : LiveFeed.start(vertx, mqtt),
            host,
            port);
    api.oeeBands(bands);
    vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
    spec.commandLine().getOut().println("dashboard http://" + host + ":" + api.actualPort() + "/");
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

  /** {@code api token --park F --users F --user NAME [--days N]}: prints a bearer token. */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = "Prints a bearer token for a user of the users file.")
  static final class TokenCommand implements Callable<Integer> {

    @Option(names = "--park", required = true, description = "Park file (YAML).")
    Path park;

    @Option(names = "--users", required = true, description = "Users file (YAML).")
    Path users;

    @Option(names = "--key-file", defaultValue = "data/api/api.key", description = "Signing key.")
    Path keyFile;

    @Option(names = "--user", required = true, description = "The user's name in the file.")
    String user;

    @Option(names = "--days", defaultValue = "30", description = "Days the token is valid.")
    int days;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      UsersFile list;
      try {
        list = UsersFile.load(users, Park.load(park));
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 2;
      }
      ApiUser found = list.find(user).orElse(null);
      if (found == null || days < 1) {
        spec.commandLine()
            .getErr()
            .println(
                found == null
                    ? "error: --user: no user '" + user + "' in " + users
                    : "error: --days: expected at least 1");
        return 2;
      }
      Vertx vertx = Vertx.vertx();
      try {
        ApiSecurity security =
            new ApiSecurity(vertx, ApiSecurity.loadOrCreateKey(keyFile), list, 1);
        spec.commandLine().getOut().println(security.issue(found, Duration.ofDays(days)));
      } finally {
        vertx.close();
      }
      return 0;
    }
  }
}
