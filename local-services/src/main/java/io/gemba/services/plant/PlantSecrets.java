package io.gemba.services.plant;

import io.gemba.connect.SecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The secrets of a plant in one directory, made when missing and kept across restarts: a CA and the
 * server certificates it signed, and one random password per broker user and per InfluxDB user,
 * each in a file its owner alone may read.
 *
 * <pre>
 * ca/ca.crt, ca/ca.key            the CA (clients trust ca.crt)
 * tls/broker.crt, broker.key      the broker's certificate
 * tls/influxdb.crt, influxdb.key  InfluxDB's certificate
 * mqtt/&lt;user&gt;.pass               a broker user's password
 * influxdb/&lt;user&gt;.pass           an InfluxDB user's password
 * </pre>
 */
public final class PlantSecrets {

  /** The host names and addresses the servers' certificates name (loopback). */
  public static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

  private final Path dir;
  private final CertificateAuthority ca;

  private PlantSecrets(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** The secrets in {@code dir}, with the CA made when missing. */
  public static PlantSecrets openOrCreate(Path dir) {
    try {
      SecretFile.createOwnerOnlyDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return new PlantSecrets(dir, CertificateAuthority.openOrCreate(dir.resolve("ca"), "Gemba CA"));
  }

  /**
   * The secrets made before in {@code dir}; nothing is created.
   *
   * @throws IllegalStateException when {@code dir} holds no CA
   */
  public static PlantSecrets open(Path dir) {
    if (!Files.exists(dir.resolve("ca/ca.crt")) || !Files.exists(dir.resolve("ca/ca.key"))) {
      throw new IllegalStateException(
          "no plant secrets in " + dir + ": make them with plant-secrets --dir " + dir);
    }
    return openOrCreate(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The CA certificate every client trusts. */
  public Path caFile() {
    return ca.certificateFile();
  }

  /** The certificate of server {@code name} for {@code hosts}; its key is beside it. */
  public Path serverCertificate(String name, List<String> hosts) {
    return ca.issueServer(dir.resolve("tls"), name, hosts);
  }

  /** The private key of server {@code name}'s certificate. */
  public Path serverKey(String name) {
    return dir.resolve("tls").resolve(name + ".key");
  }

  /** The password file of broker user {@code user}, made with a random password when missing. */
  public Path brokerPassword(String user) {
    return password(dir.resolve("mqtt").resolve(user + ".pass"));
  }

  /** The password file of InfluxDB user {@code user}, made when missing. */
  public Path influxPassword(String user) {
    return password(dir.resolve("influxdb").resolve(user + ".pass"));
  }

  private static Path password(Path file) {
    try {
      SecretFile.writeRandomIfAbsent(file, 24);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }
}
