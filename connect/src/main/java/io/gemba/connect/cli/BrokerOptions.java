package io.gemba.connect.cli;

import io.gemba.connect.BrokerEndpoint;
import io.gemba.connect.TlsFiles;
import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The broker options every Gemba command shares, beside its own {@code --mqtt URL}: TLS files, the
 * user and the password file. Mixed into a picocli command with {@code @Mixin}.
 */
public final class BrokerOptions {

  @Option(
      names = "--mqtt-user",
      description = "Broker user name; its password is read from --mqtt-password-file.")
  String user;

  @Option(
      names = "--mqtt-password-file",
      description = "File holding the broker user's password (owner-readable only).")
  Path passwordFile;

  @Option(
      names = "--mqtt-ca",
      description = "PEM CA certificate(s) the broker's certificate chains to (ssl:// only).")
  Path caFile;

  @Option(names = "--mqtt-cert", description = "PEM client certificate, for brokers that ask.")
  Path certFile;

  @Option(names = "--mqtt-key", description = "Its unencrypted PKCS#8 PEM private key.")
  Path keyFile;

  @Option(
      names = "--mqtt-allow-plaintext",
      description =
          "Allow the password over tcp:// (only where the network itself is trusted, such as"
              + " loopback).")
  boolean allowPlaintext;

  private static final Map<String, String> OPTIONS =
      Map.of(
          "broker", "--mqtt",
          "username", "--mqtt-user",
          "passwordFile", "--mqtt-password-file",
          "caFile", "--mqtt-ca",
          "certFile", "--mqtt-cert",
          "keyFile", "--mqtt-key");

  /**
   * The endpoint these options describe for {@code url}.
   *
   * @throws InvalidFieldException naming the option ({@code --mqtt-user}) that cannot be used
   */
  public BrokerEndpoint endpoint(String url) {
    try {
      boolean anyTls = caFile != null || certFile != null;
      TlsFiles tls = anyTls || keyFile != null ? new TlsFiles(caFile, certFile, keyFile) : null;
      return new BrokerEndpoint(url, user, passwordFile, tls, allowPlaintext);
    } catch (InvalidFieldException e) {
      throw new InvalidFieldException(
          OPTIONS.getOrDefault(e.field(), e.field()),
          e.expected().replace("allowPlaintext", "--mqtt-allow-plaintext"));
    }
  }
}
