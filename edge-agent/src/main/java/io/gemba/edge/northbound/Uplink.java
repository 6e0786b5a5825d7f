package io.gemba.edge.northbound;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.TlsFiles;
import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;

/**
 * Where envelopes go: the plant MQTT broker.
 *
 * @param broker {@code ssl://host:port} (TLS), or {@code tcp://host:port}
 * @param tls CA, client certificate and key for {@code ssl://}; optional with ssl (JVM trust store)
 * @param sparkplug optional Sparkplug B output to the same broker, live data only
 * @param username the gateway's broker user; sent with the password read from {@code passwordFile}
 *     at every connect
 * @param allowPlaintext whether the password may go over {@code tcp://} (default false: refused)
 * @param batchDelayMs how long readings may wait to share an envelope (default 200)
 * @param sessionExpirySeconds how long the broker keeps the gateway's session while it is away
 *     (default 86400); the agent connects with clean start off
 * @param maxInflight envelopes sent before their acknowledgements return (default 20, the receive
 *     maximum mosquitto grants by default)
 */
public record Uplink(
    String broker,
    String username,
    Path passwordFile,
    Integer batchDelayMs,
    Long sessionExpirySeconds,
    Integer maxInflight,
    TlsFiles tls,
    Boolean allowPlaintext,
    SparkplugOutput sparkplug) {
  public Uplink {
    requireText("broker", broker);
    allowPlaintext = allowPlaintext != null && allowPlaintext;
    new BrokerEndpoint(broker, username, passwordFile, tls, allowPlaintext);
    batchDelayMs = batchDelayMs == null ? 200 : batchDelayMs;
    sessionExpirySeconds = sessionExpirySeconds == null ? 86_400L : sessionExpirySeconds;
    if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
      throw new InvalidFieldException(
          "sessionExpirySeconds", "expected 0 to 4294967295 seconds, got " + sessionExpirySeconds);
    }
    maxInflight = maxInflight == null ? 20 : maxInflight;
    if (maxInflight < 1 || maxInflight > 65_535) {
      throw new InvalidFieldException("maxInflight", "expected 1 to 65535, got " + maxInflight);
    }
    if (batchDelayMs < 1 || batchDelayMs > 60_000) {
      throw new InvalidFieldException(
          "batchDelayMs", "expected 1 to 60000 milliseconds, got " + batchDelayMs);
    }
  }

  /** The broker as this gateway reaches it. */
  public BrokerEndpoint endpoint() {
    return new BrokerEndpoint(broker, username, passwordFile, tls, allowPlaintext);
  }

  /**
   * The endpoint of the Sparkplug output: the same broker, as the output's own user when it has one
   * (a broker that ties client ids to user names allows one connection per user).
   */
  public BrokerEndpoint sparkplugEndpoint() {
    if (sparkplug == null || sparkplug.username() == null) {
      return endpoint();
    }
    return endpoint()
        .as(
            sparkplug.username(),
            sparkplug.passwordFile() != null ? sparkplug.passwordFile() : passwordFile);
  }
}
