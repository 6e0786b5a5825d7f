package io.gemba.deploy;

import io.gemba.api.security.Role;
import io.gemba.model.config.ConfigException;
import io.gemba.services.ServiceStartException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The one-command demo: a simulated park through the whole platform on this machine. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs a simulated park through the whole Gemba platform on this machine.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--http-port", defaultValue = "8080", description = "Dashboard and API port.")
  int httpPort;

  @Option(names = "--data-dir", defaultValue = "data", description = "Where services keep data.")
  Path dataDir;

  @Option(names = "--park", defaultValue = "deploy/parks/demo.yaml", description = "Park file.")
  Path park;

  @Option(names = "--speed", defaultValue = "1", description = "Simulated seconds per second.")
  double speed;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated park.")
  long seed;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalPark localPark;
    try {
      localPark =
          LocalPark.start(
              new LocalPark.Options(dataDir.toAbsolutePath(), park, httpPort, speed, seed));
    } catch (ConfigException | ServiceStartException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  localPark.close();
                  stopped.countDown();
                },
                "demo-stop"));
    awaitHealthy(localPark.apiUrl() + "/health");
    List<SecurityCheck.Result> checks = localPark.securityCheck();
    out.println();
    out.println("Gemba demo is running.");
    out.println("  Dashboard:  " + localPark.dashboardUrl());
    out.println("              (that link signs you in as the park operator for 12 hours)");
    out.println(
        "  Sign in:    "
            + localPark.apiUrl()
            + "/ as demo-operator, demo-engineer or demo-viewer; each one's password is in "
            + localPark.passwordFile(Role.PARK_OPERATOR).getParent()
            + "/<user>.pass");
    out.println("  API:        " + localPark.apiUrl() + "/api/v1/assets");
    out.println("  Data:       " + dataDir.toAbsolutePath());
    out.println(
        "  Broker:     "
            + localPark.services().broker().url()
            + " (TLS, users and ACLs), KPI job on "
            + localPark.services().broker().jobEndpoint().broker());
    out.println(
        "  InfluxDB:   " + localPark.services().influx().url() + " (HTTPS, authentication)");
    out.println(
        "  Secrets:    "
            + localPark.services().secrets().dir()
            + " (CA certificate "
            + localPark.services().secrets().caFile()
            + ")");
    out.println("  Security self-check, as a client without credentials on this machine:");
    for (SecurityCheck.Result check : checks) {
      out.println("    " + (check.refused() ? "refused: " : "NOT REFUSED: ") + check.attempt());
    }
    out.println(
        "  Tokens (Authorization: Bearer <token>; also in " + dataDir.resolve("tokens") + "):");
    for (Role role : Role.values()) {
      out.println("    " + role.wireName() + ": " + localPark.token(role));
    }
    out.println("OEE appears after the first full minute. Stop with Ctrl-C.");
    out.flush();
    if (!checks.stream().allMatch(SecurityCheck.Result::refused)) {
      err.println("error: the demo is not secured as it must be (see above); stopping");
      localPark.close();
      return 1;
    }
    stopped.await();
    return 0;
  }

  private static void awaitHealthy(String url) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
    for (int attempt = 0; attempt < 120; attempt++) {
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // Not answering yet.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the API at " + url + " did not become healthy in 60 s");
  }
}
