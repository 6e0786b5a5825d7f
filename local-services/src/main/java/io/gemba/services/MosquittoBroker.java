package io.gemba.services;

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
  private final ChildProcess process;

  private MosquittoBroker(Path dir, int port, Tls tls, ChildProcess process) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.process = process;
  }

  /** Starts a broker on a free loopback port with its data under {@code dir}. */
  public static MosquittoBroker start(Path dir) {
    return start(dir, ChildProcess.freePort());
  }

  public static MosquittoBroker start(Path dir, int port) {
    return start(dir, port, null);
  }

  /** Starts a broker whose only listener speaks TLS. */
  public static MosquittoBroker startTls(Path dir, Tls tls) {
    return start(dir, ChildProcess.freePort(), tls);
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
    return new MosquittoBroker(dir, port, tls, process);
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

  /** The broker URL for MQTT clients, e.g. {@code tcp://127.0.0.1:41883} or {@code ssl://...}. */
  public String url() {
    return (tls == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
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
    return start(dir, port, tls);
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
