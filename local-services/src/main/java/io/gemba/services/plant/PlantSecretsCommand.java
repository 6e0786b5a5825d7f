package io.gemba.services.plant;

import io.gemba.connect.Identities;
import io.gemba.connect.TlsFiles;
import io.gemba.connect.TlsSockets;
import io.gemba.model.asset.Park;
import io.gemba.model.config.ConfigException;
import io.gemba.services.LocalServices;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code plant-secrets}: everything a site needs to run Gemba secured, made once and kept in one
 * directory: a CA (unless the site brings its own certificates), the broker's, InfluxDB's and the
 * API's certificates, a random password per identity, and the broker's password and ACL files for
 * the park. {@code plant-secrets influx-setup} then creates the InfluxDB databases, users and
 * privileges as the admin.
 */
@Command(
    name = "plant-secrets",
    mixinStandardHelpOptions = true,
    description =
        "Makes (or completes) a plant's secrets: CA, server certificates, one password per"
            + " identity, and the broker's password and ACL files for the park.",
    subcommands = PlantSecretsCommand.InfluxSetupCommand.class)
public final class PlantSecretsCommand implements Callable<Integer> {

  @Option(names = "--park", description = "Park file (YAML). Required.")
  Path park;

  @Option(
      names = "--dir",
      description = "Where the secrets are kept (created owner-only; kept across runs). Required.")
  Path dir;

  @Option(
      names = "--broker-host",
      description =
          "A name or address clients use for the broker, in its certificate (repeatable;"
              + " default 127.0.0.1 and localhost).")
  List<String> brokerHosts = new ArrayList<>();

  @Option(names = "--influx-host", description = "As --broker-host, for InfluxDB.")
  List<String> influxHosts = new ArrayList<>();

  @Option(
      names = "--api-host",
      description = "As --broker-host, for the API's HTTPS listener (browsers check it).")
  List<String> apiHosts = new ArrayList<>();

  @Option(
      names = "--api-user",
      description =
          "The broker user of an API replica (repeatable; default gemba-api). Replicas need one"
              + " each: Kubernetes' StatefulSet names them gemba-api-0, gemba-api-1, ...")
  List<String> apiUsers = new ArrayList<>();

  @Option(
      names = "--simulated-stations",
      description = "Also a broker user for the simulators' line stations (a simulated park).")
  boolean simulatedStations;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PlantSecretsCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Park loaded;
    try {
      if (park == null || dir == null) {
        throw new ConfigException(
            Path.of("."), park == null ? "--park" : "--dir", "required", null);
      }
      loaded = Park.load(park);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    PlantSecrets secrets = PlantSecrets.openOrCreate(dir);
    issue(secrets, out, "broker", brokerHosts);
    issue(secrets, out, "influxdb", influxHosts);
    issue(secrets, out, "api", apiHosts);
    BrokerAccounts accounts =
        BrokerAccounts.of(
            loaded, simulatedStations, apiUsers.isEmpty() ? List.of(Identities.API) : apiUsers);
    Path mosquitto = dir.resolve("mosquitto");
    PlantBrokerConfig.writeAccountFiles(mosquitto, secrets, accounts);
    InfluxAccounts influx =
        InfluxAccounts.standard(LocalServices.DATABASE, LocalServices.ACTIONS_DATABASE);
    secrets.influxPassword(influx.admin());
    influx.users().forEach(u -> secrets.influxPassword(u.name()));
    out.println("CA certificate (every client trusts it): " + secrets.caFile());
    out.println("Broker users and ACLs (for /etc/mosquitto/): " + mosquitto);
    out.println("Broker passwords, a file per user, in " + dir.resolve("mqtt") + ":");
    for (BrokerAccounts.Account a : accounts.shared()) {
      out.println("  " + a.user() + ".pass");
    }
    out.println("  " + Identities.KPI_JOB + ".pass (on the KPI job's listener)");
    out.println(
        "InfluxDB passwords in "
            + dir.resolve("influxdb")
            + ": "
            + influx.admin()
            + ".pass (the admin), "
            + String.join(
                ".pass, ", influx.users().stream().map(InfluxAccounts.User::name).toList())
            + ".pass");
    out.flush();
    return 0;
  }

  private static void issue(
      PlantSecrets secrets, PrintWriter out, String name, List<String> hosts) {
    Path cert = secrets.serverCertificate(name, hosts.isEmpty() ? PlantSecrets.LOOPBACK : hosts);
    out.println(name + " certificate and key: " + cert + ", " + secrets.serverKey(name));
  }

  /** {@code plant-secrets influx-setup --dir D --influx URL}: applies the InfluxDB accounts. */
  @Command(
      name = "influx-setup",
      mixinStandardHelpOptions = true,
      description =
          "As InfluxDB's admin: creates the admin (on a new InfluxDB), the databases, the KPI"
              + " job's and the API's users with the passwords of --dir, and their privileges."
              + " Safe to run again.")
  static final class InfluxSetupCommand implements Callable<Integer> {

    @Option(names = "--dir", required = true, description = "The secrets (plant-secrets --dir).")
    Path dir;

    @Option(
        names = "--influx",
        required = true,
        description = "InfluxDB, https://host:8086, with a certificate of the secrets' CA.")
    String influx;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PlantSecrets secrets = PlantSecrets.open(dir);
      HttpClient http =
          HttpClient.newBuilder()
              .sslContext(
                  TlsSockets.context("--dir", new TlsFiles(secrets.caFile(), null, null)).context())
              .build();
      new InfluxSetup(
              http,
              influx,
              secrets,
              InfluxAccounts.standard(LocalServices.DATABASE, LocalServices.ACTIONS_DATABASE))
          .apply(List.of(LocalServices.DATABASE, LocalServices.ACTIONS_DATABASE));
      spec.commandLine()
          .getOut()
          .println("InfluxDB at " + influx + ": databases, users and privileges set up.");
      return 0;
    }
  }
}
