package io.gemba.edge.config;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;

/**
 * Where envelopes go: the plant MQTT broker.
 *
 * @param broker {@code tcp://host:port}
 * @param username optional; sent with the password read from {@code passwordFile}
 * @param batchDelayMs how long readings may wait to share an envelope (default 200)
 */
public record Uplink(String broker, String username, Path passwordFile, Integer batchDelayMs) {
  public Uplink {
    requireText("broker", broker);
    if (!broker.matches("tcp://[^/\\s]+:\\d+")) {
      throw new InvalidFieldException(
          "broker", "expected tcp://host:port, got '" + broker + "' (TLS comes with ssl:// later)");
    }
    if (passwordFile != null && username == null) {
      throw new InvalidFieldException("username", "expected a username with passwordFile");
    }
    batchDelayMs = batchDelayMs == null ? 200 : batchDelayMs;
    if (batchDelayMs < 1 || batchDelayMs > 60_000) {
      throw new InvalidFieldException(
          "batchDelayMs", "expected 1 to 60000 milliseconds, got " + batchDelayMs);
    }
  }
}
