package io.gemba.connect;

import io.gemba.model.config.InvalidFieldException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The files of a TLS connection to the broker or to InfluxDB. The server's certificate is always
 * verified, its host name included; there is no setting that turns that off.
 *
 * @param caFile PEM file with the CA certificate(s) that signed the server's certificate; without
 *     it, the JVM's default trust store
 * @param certFile this client's certificate (PEM, chain allowed), for servers that require one;
 *     with {@code keyFile}
 * @param keyFile its private key, unencrypted PKCS#8 PEM
 */
public record TlsFiles(Path caFile, Path certFile, Path keyFile) implements Serializable {
  public TlsFiles {
    if ((certFile == null) != (keyFile == null)) {
      throw new InvalidFieldException(
          certFile == null ? "certFile" : "keyFile",
          "expected certFile and keyFile together for a client certificate");
    }
  }

  /** No CA file (the JVM's trust store) and no client certificate. */
  public static final TlsFiles DEFAULT = new TlsFiles(null, null, null);

  // java.nio.file.Path is not serializable; Flink ships sources and sinks as serialized objects.
  private Object writeReplace() {
    return new Serial(text(caFile), text(certFile), text(keyFile));
  }

  static String text(Path path) {
    return path == null ? null : path.toString();
  }

  static Path path(String text) {
    return text == null ? null : Path.of(text);
  }

  private record Serial(String caFile, String certFile, String keyFile) implements Serializable {
    private Object readResolve() {
      return new TlsFiles(path(caFile), path(certFile), path(keyFile));
    }
  }
}
