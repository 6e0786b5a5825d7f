package io.gemba.services;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.Identities;
import io.gemba.connect.TlsFiles;
import io.gemba.services.plant.BrokerAccounts;
import io.gemba.services.plant.PlantBrokerConfig;
import io.gemba.services.plant.PlantSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code mosquitto} on a loopback port, with persistence in a directory of its own.
 *
 * <p>The configuration avoids two defaults that lose acknowledged messages: persistence is saved
 * every few seconds instead of every 30 minutes, and queues for offline persistent sessions are not
 * capped at 1,000 messages.
 */
public final class MosquittoBroker implements AutoCloseable {

  /**
   * A TLS listener's files, PEM.
   *
   * @param caFile CA certificates; with {@code requireClientCertificate}, client certificates must
   *     chain to one of them
   * @param certFile the broker's certificate
   * @param keyFile its private key
   */
  public record Tls(Path caFile, Path certFile, Path keyFile, boolean requireClientCertificate) {}

  private final Path dir;
  private final int port;
  private final Tls tls;
  private final PlantBroker plant;
  private final ChildProcess process;

  private MosquittoBroker(Path dir, int port, Tls tls, PlantBroker plant, ChildProcess process) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.plant = plant;
    this.process = process;
  }

  /**
   * The plant broker's configuration as shipped, with its files and ports: the shared listener on
   * {@code port}, the KPI job's on {@code jobPort}.
   */
  private record PlantBroker(PlantSecrets secrets, BrokerAccounts accounts, int jobPort) {}

  /** Starts a broker on a free loopback port with its data under {@code dir}. */
  public static MosquittoBroker start(Path dir) {
    return start(dir, FreePorts.next());
  }

  public static MosquittoBroker start(Path dir, int port) {
    return start(dir, port, null);
  }

  /** Starts a broker whose only listener speaks TLS. */
  public static MosquittoBroker startTls(Path dir, Tls tls) {
    return start(dir, FreePorts.next(), tls);
  }

  /**
   * Starts the plant broker as shipped ({@code deploy/mosquitto/mosquitto.conf}, changed only in
   * its paths, its ports on loopback and its log file): TLS with a certificate of {@code secrets}'
   * CA, no anonymous clients, the users and ACLs of {@code accounts} with the passwords of {@code
   * secrets}, a client's id its user name on the shared listener.
   */
  public static MosquittoBroker startPlant(
      Path dir, PlantSecrets secrets, BrokerAccounts accounts) {
    return startPlant(dir, FreePorts.next(), new PlantBroker(secrets, accounts, FreePorts.next()));
  }

  private static MosquittoBroker startPlant(Path dir, int port, PlantBroker plant) {
    Path binary = Binaries.require("mosquitto", "mosquitto");
    Path config = dir.resolve("mosquitto.conf");
    try {
      Files.createDirectories(dir.resolve("persistence"));
      Files.writeString(
          config,
          PlantBrokerConfig.write(dir, port, plant.jobPort(), plant.secrets(), plant.accounts()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ChildProcess process =
        new ChildProcess(
            "mosquitto",
            List.of(binary.toString(), "-c", config.toString()),
            dir.resolve("mosquitto.log"));
    process.start(
        () ->
            ChildProcess.acceptsConnections(port)
                && ChildProcess.acceptsConnections(plant.jobPort()),
        Duration.ofSeconds(15));
    return new MosquittoBroker(dir, port, null, plant, process);
  }

  private static MosquittoBroker start(Path dir, int port, Tls tls) {
    Path binary = Binaries.require("mosquitto", "mosquitto");
    Path config = dir.resolve("mosquitto.conf");
    try {
      Files.createDirectories(dir.resolve("persistence"));
      Files.writeString(config, config(dir, port, tls));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ChildProcess process =
        new ChildProcess(
            "mosquitto",
            List.of(binary.toString(), "-c", config.toString()),
            dir.resolve("mosquitto.log"));
    process.start(() -> ChildProcess.acceptsConnections(port), Duration.ofSeconds(15));
    return new MosquittoBroker(dir, port, tls, null, process);
  }

  private static String config(Path dir, int port, Tls tls) {
    String tlsLines =
        tls == null
            ? ""
            : String.join(
                "\n",
                "cafile " + tls.caFile().toAbsolutePath(),
                "certfile " + tls.certFile().toAbsolutePath(),
                "keyfile " + tls.keyFile().toAbsolutePath(),
                "require_certificate " + tls.requireClientCertificate());
    return String.join(
        "\n",
        "# Written by Gemba's local services; regenerated on every start.",
        "per_listener_settings false",
        // Started as root, mosquitto switches to the user 'mosquitto', which cannot write the
        // persistence directory created here; stay the user that owns it.
        "user " + System.getProperty("user.name"),
        "listener " + port + " 127.0.0.1",
        tlsLines,
        "allow_anonymous true",
        // Acknowledgements are small packets; with Nagle on they wait for the client's delayed
        // ACK (40 ms), which caps a QoS 1 publisher at one window per 40 ms.
        "set_tcp_nodelay true",
        "persistence true",
        "persistence_location " + dir.resolve("persistence").toAbsolutePath() + "/",
        "autosave_interval 5",
        "max_queued_messages 1000000",
        "max_inflight_messages 100",
        "log_dest stdout",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "");
  }

  /**
   * This broker for an anonymous client: the plain and TLS brokers take anonymous clients; the
   * plant broker refuses them.
   */
  public BrokerEndpoint endpoint() {
    return new BrokerEndpoint(url(), null, null, trust(), false);
  }

  /**
   * The plant broker's shared listener as {@code user}, with the user's password file.
   *
   * @throws IllegalStateException on a broker that is not the plant broker
   */
  public BrokerEndpoint endpoint(String user) {
    return new BrokerEndpoint(url(), user, plant().secrets().brokerPassword(user), trust(), false);
  }

  /** The plant broker's listener for the KPI job, as the job's user. */
  public BrokerEndpoint jobEndpoint() {
    return new BrokerEndpoint(
        "ssl://127.0.0.1:" + plant().jobPort(),
        Identities.KPI_JOB,
        plant().secrets().brokerPassword(Identities.KPI_JOB),
        trust(),
        false);
  }

  private PlantBroker plant() {
    if (plant == null) {
      throw new IllegalStateException("not the plant broker: it has no users");
    }
    return plant;
  }

  private TlsFiles trust() {
    if (plant != null) {
      return new TlsFiles(plant.secrets().caFile(), null, null);
    }
    return tls == null ? null : new TlsFiles(tls.caFile(), null, null);
  }

  /** The broker URL for MQTT clients, e.g. {@code tcp://127.0.0.1:41883} or {@code ssl://...}. */
  public String url() {
    return (tls == null && plant == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
  }

  /** Whether this is the plant broker: TLS, users and ACLs. */
  public boolean isPlant() {
    return plant != null;
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** Starts a new broker process on the same port and data directory after a stop or kill. */
  public MosquittoBroker restart() {
    process.close();
    return plant != null ? startPlant(dir, port, plant) : start(dir, port, tls);
  }

  /** Freezes the broker (SIGSTOP), as a hung host or a network partition would. */
  public void pause() {
    process.signal("STOP");
  }

  public void resume() {
    process.signal("CONT");
  }

  /** Kills the broker without letting it save (SIGKILL). */
  public void kill() {
    process.signal("KILL");
  }

  @Override
  public void close() {
    process.close();
  }
}
