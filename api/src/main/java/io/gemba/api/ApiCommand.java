package io.gemba.api;

import io.gemba.api.store.InfluxKpiStore;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the API: {@code api --park FILE --influx URL [--port N]}. */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "Serves the HTTP API and the dashboards.")
public final class ApiCommand implements Callable<Integer> {

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
    try {
      loaded = Park.load(park);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ApiVerticle api = new ApiVerticle(loaded, new InfluxKpiStore(influx, database), host, port);
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
}
