package io.gemba.connect;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * How a Gemba process reaches InfluxDB's v1 HTTP API: {@code https://host:port} verified against
 * the CA file (host name included), a user and the password in a file of its own, read at every
 * request so that a rotated password is used at once. A password over plain {@code http://} is
 * refused unless {@code allowPlaintext} says the network itself is trusted.
 *
 * @param url {@code https://host:8086} or {@code http://host:8086}
 * @param username the InfluxDB user; null when InfluxDB runs without authentication
 * @param passwordFile the file holding the user's password
 * @param caFile PEM CA certificate(s) InfluxDB's certificate chains to; null for the JVM's trust
 *     store
 * @param allowPlaintext whether a password may be sent over {@code http://}
 */
public record InfluxEndpoint(
    String url, String username, Path passwordFile, Path caFile, boolean allowPlaintext)
    implements Serializable {

  public InfluxEndpoint {
    requireText("url", url);
    URI uri = BrokerEndpoint.hostAndPort("url", url, "http", "https");
    boolean secure = uri.getScheme().equals("https");
    if (caFile != null && !secure) {
      throw new InvalidFieldException(
          "url", "expected https://host:port with a CA file, got '" + url + "'");
    }
    if ((username == null) != (passwordFile == null)) {
      throw new InvalidFieldException(
          username == null ? "username" : "passwordFile",
          "expected a user name and a password file together");
    }
    if (passwordFile != null && !secure && !allowPlaintext) {
      throw new InvalidFieldException(
          "url",
          "a password would cross the network in clear over '"
              + url
              + "': use https://host:port, or allowPlaintext where the network itself is trusted");
    }
  }

  /** InfluxDB without authentication over plain HTTP, for tests and isolated set-ups. */
  public static InfluxEndpoint open(String url) {
    return new InfluxEndpoint(url, null, null, null, false);
  }

  public boolean isTls() {
    return url.startsWith("https://");
  }

  /** Whether a password travels in clear, which {@code allowPlaintext} allowed. */
  public boolean sendsPasswordInClear() {
    return passwordFile != null && !isTls();
  }

  /** TLS settings for this endpoint's HTTP client. */
  public TlsSockets.Context tlsContext(String field) {
    return TlsSockets.context(field, new TlsFiles(caFile, null, null));
  }

  private Object writeReplace() {
    return new Serial(
        url, username, TlsFiles.text(passwordFile), TlsFiles.text(caFile), allowPlaintext);
  }

  private record Serial(
      String url, String username, String passwordFile, String caFile, boolean allowPlaintext)
      implements Serializable {
    private Object readResolve() {
      return new InfluxEndpoint(
          url, username, TlsFiles.path(passwordFile), TlsFiles.path(caFile), allowPlaintext);
    }
  }
}
