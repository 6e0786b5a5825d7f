package io.gemba.services.plant;

import io.gemba.connect.SecretFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plant broker's shipped configuration ({@code deploy/mosquitto/mosquitto.conf}, in this
 * module's jar) made to run on this machine: its file locations moved under one directory, its two
 * listeners on loopback ports, its log to a file, and the password and ACL files it names written
 * from a park's accounts. Nothing else in it changes, so the local broker is the shipped one.
 */
public final class PlantBrokerConfig {

  private static final String SHIPPED = "/io/gemba/services/plant-broker/mosquitto.conf";

  private PlantBrokerConfig() {}

  /** The configuration as shipped. */
  public static String shipped() {
    try (InputStream in = PlantBrokerConfig.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(SHIPPED + " is missing from the local-services jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the password and ACL files of {@code accounts} under {@code dir/etc} and returns the
   * shipped configuration pointing at them, at the certificate of {@code secrets}' CA, and at
   * {@code dir} for persistence and the log.
   */
  public static String write(
      Path dir, int port, int jobPort, PlantSecrets secrets, BrokerAccounts accounts)
      throws IOException {
    Path etc = dir.resolve("etc");
    writeAccountFiles(etc, secrets, accounts);
    secrets.serverCertificate("broker", PlantSecrets.LOOPBACK);
    String config =
        shipped()
            .replace("/etc/mosquitto/certs/ca.crt", secrets.caFile().toAbsolutePath().toString())
            .replace("/etc/mosquitto/certs/", secrets.dir().resolve("tls").toAbsolutePath() + "/")
            .replace("/etc/mosquitto/", etc.toAbsolutePath() + "/")
            .replace("/var/lib/mosquitto/", dir.resolve("persistence").toAbsolutePath() + "/")
            .replace("\nlistener 8883\n", "\nlistener " + port + " 127.0.0.1\n")
            .replace("\nlistener 8884\n", "\nlistener " + jobPort + " 127.0.0.1\n")
            .replace("\nlog_dest syslog\n", "\nlog_dest file " + dir.resolve("broker.log") + "\n");
    for (String left : List.of("/etc/mosquitto", "/var/lib/mosquitto", "log_dest syslog")) {
      if (config.contains(left)) {
        throw new IllegalStateException(
            "the shipped mosquitto.conf has '" + left + "' where none was expected");
      }
    }
    // Started as root, mosquitto would switch to the user 'mosquitto', who cannot read files
    // that belong to this user.
    return config + "\nuser " + System.getProperty("user.name") + "\n";
  }

  /**
   * Writes the broker's user files into {@code etc}: {@code gemba-shared.passwd} and {@code .acl}
   * for the shared listener, {@code gemba-job.passwd} and {@code .acl} for the KPI job's, with the
   * passwords of {@code secrets} (made when missing). The password files are owner-readable only.
   */
  public static void writeAccountFiles(Path etc, PlantSecrets secrets, BrokerAccounts accounts)
      throws IOException {
    SecretFile.createOwnerOnlyDirectories(etc);
    writeAccounts(etc, "gemba-shared", accounts.sharedAcl(), accounts.shared(), secrets);
    writeAccounts(etc, "gemba-job", accounts.jobAcl(), accounts.job(), secrets);
  }

  private static void writeAccounts(
      Path etc,
      String name,
      String acl,
      List<BrokerAccounts.Account> accounts,
      PlantSecrets secrets)
      throws IOException {
    Map<String, byte[]> passwords = new LinkedHashMap<>();
    for (BrokerAccounts.Account account : accounts) {
      passwords.put(
          account.user(), SecretFile.read("password", secrets.brokerPassword(account.user())));
    }
    SecretFile.writeOwnerOnly(
        etc.resolve(name + ".passwd"),
        BrokerAccounts.passwordFile(passwords).getBytes(StandardCharsets.US_ASCII));
    Files.writeString(etc.resolve(name + ".acl"), acl);
  }
}
