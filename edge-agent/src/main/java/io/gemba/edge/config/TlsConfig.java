package io.gemba.edge.config;

import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;

/**
 * TLS towards an MQTT broker ({@code ssl://host:port}). The broker's certificate is always
 * verified, host name included.
 *
 * @param caFile PEM file with the CA certificate(s) that signed the broker's certificate; without
 *     it, the JVM's default trust store
 * @param certFile the gateway's client certificate (PEM, chain allowed), for brokers that require
 *     one; with {@code keyFile}
 * @param keyFile its private key, unencrypted PKCS#8 PEM
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile) {
  public TlsConfig {
    if ((certFile == null) != (keyFile == null)) {
      throw new InvalidFieldException(
          certFile == null ? "certFile" : "keyFile",
          "expected certFile and keyFile together for a client certificate");
    }
  }

  /**
   * Fails unless {@code broker} is an {@code ssl://} URL when TLS is configured, and vice versa.
   */
  static void requireMatchingScheme(String broker, TlsConfig tls) {
    if (tls != null && !broker.startsWith("ssl://")) {
      throw new InvalidFieldException(
          "broker", "expected ssl://host:port with tls, got '" + broker + "'");
    }
  }
}
