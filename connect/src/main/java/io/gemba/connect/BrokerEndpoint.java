package io.gemba.connect;

import static io.gemba.model.config.InvalidFieldException.requireText;

import io.gemba.model.config.InvalidFieldException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * How a Gemba process reaches an MQTT broker, the same for the edge agent, the KPI job, the API and
 * the simulators: {@code ssl://host:port} with the broker's CA (its certificate and host name are
 * always verified) and optionally a client certificate, a user name, and the password in a file of
 * its own. The password is read from its file at every connect, so a rotated password is used from
 * the next reconnect on.
 *
 * <p>A password never goes over plain {@code tcp://} unless {@code allowPlaintext} says that the
 * network itself is trusted (a loopback interface, a link inside one machine); a plaintext
 * connection without a password is allowed, for brokers that take anonymous clients.
 *
 * @param broker {@code ssl://host:port}, or {@code tcp://host:port}
 * @param username the broker user; null for an anonymous client
 * @param passwordFile the file holding the user's password (a trailing line break is ignored)
 * @param tls CA file, client certificate and key for {@code ssl://}; null there means the JVM's
 *     trust store and no client certificate
 * @param allowPlaintext whether a password may be sent over {@code tcp://}
 */
public record BrokerEndpoint(
    String broker, String username, Path passwordFile, TlsFiles tls, boolean allowPlaintext)
    implements Serializable {

  public BrokerEndpoint {
    requireText("broker", broker);
    URI uri = hostAndPort("broker", broker, "tcp", "ssl");
    boolean secure = uri.getScheme().equals("ssl");
    if (tls != null && !secure) {
      throw new InvalidFieldException(
          "broker", "expected ssl://host:port with tls settings, got '" + broker + "'");
    }
    if (passwordFile != null && (username == null || username.isBlank())) {
      throw new InvalidFieldException("username", "expected a user name with passwordFile");
    }
    if (username != null && !username.matches("[\\p{Alnum}._@:-]{1,128}")) {
      throw new InvalidFieldException(
          "username",
          "expected 1 to 128 letters, digits, '.', '_', '@', ':' or '-', got '" + username + "'");
    }
    if (passwordFile != null && !secure && !allowPlaintext) {
      throw new InvalidFieldException(
          "broker",
          "a password would cross the network in clear over '"
              + broker
              + "': use ssl://host:port, or allowPlaintext where the network itself is trusted");
    }
  }

  /** An anonymous plaintext connection, for brokers that take anonymous clients (tests). */
  public static BrokerEndpoint anonymous(String broker) {
    return new BrokerEndpoint(broker, null, null, null, false);
  }

  /** Whether the connection is encrypted ({@code ssl://}). */
  public boolean isTls() {
    return broker.startsWith("ssl://");
  }

  /** Whether a password travels in clear, which {@code allowPlaintext} allowed. */
  public boolean sendsPasswordInClear() {
    return passwordFile != null && !isTls();
  }

  /**
   * The same endpoint as another user of the same broker, e.g. a gateway's second connection.
   *
   * @throws InvalidFieldException when the result would not be valid
   */
  public BrokerEndpoint as(String otherUser, Path otherPasswordFile) {
    return new BrokerEndpoint(broker, otherUser, otherPasswordFile, tls, allowPlaintext);
  }

  /**
   * Socket factory for this endpoint: TLS with {@link #tls} for {@code ssl://}, plain TCP else;
   * both with TCP_NODELAY.
   *
   * @param field the configuration field or option of the TLS files, for messages
   */
  public SocketFactory socketFactory(String field) {
    if (isTls()) {
      return TlsSockets.of(field, tls != null ? tls : TlsFiles.DEFAULT);
    }
    return new NoDelaySocketFactory();
  }

  /**
   * The password, read from its file now; null without a password file.
   *
   * @throws InvalidFieldException naming {@code passwordFile} when it cannot be used
   */
  public byte[] password() {
    return passwordFile == null ? null : SecretFile.read("passwordFile", passwordFile);
  }

  /**
   * Checks a URL of one of {@code schemes} with a host and a port and nothing else (no user
   * information: credentials never travel in URLs, which end up in logs).
   */
  static URI hostAndPort(String field, String url, String... schemes) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    String expected = String.join("://host:port or ", schemes) + "://host:port";
    if (uri == null
        || uri.getScheme() == null
        || !java.util.Arrays.asList(schemes).contains(uri.getScheme())
        || uri.getHost() == null
        || uri.getPort() < 0
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null) {
      throw new InvalidFieldException(field, "expected " + expected + ", got '" + url + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidFieldException(
          field,
          "expected no user or password in the URL (they would end up in logs): use username and"
              + " passwordFile");
    }
    return uri;
  }

  // java.nio.file.Path is not serializable; Flink ships sources and sinks as serialized objects.
  private Object writeReplace() {
    return new Serial(broker, username, TlsFiles.text(passwordFile), tls, allowPlaintext);
  }

  private record Serial(
      String broker, String username, String passwordFile, TlsFiles tls, boolean allowPlaintext)
      implements Serializable {
    private Object readResolve() {
      return new BrokerEndpoint(broker, username, TlsFiles.path(passwordFile), tls, allowPlaintext);
    }
  }
}
