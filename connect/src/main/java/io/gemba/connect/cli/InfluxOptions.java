package io.gemba.connect.cli;

import io.gemba.connect.InfluxEndpoint;
import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The InfluxDB options every Gemba command shares, beside its own {@code --influx URL}: the CA
 * file, the user and the password file. Mixed into a picocli command with {@code @Mixin}.
 */
public final class InfluxOptions {

  @Option(
      names = "--influx-user",
      description = "InfluxDB user; its password is read from --influx-password-file.")
  String user;

  @Option(
      names = "--influx-password-file",
      description = "File holding the InfluxDB user's password (owner-readable only).")
  Path passwordFile;

  @Option(
      names = "--influx-ca",
      description = "PEM CA certificate(s) InfluxDB's certificate chains to (https:// only).")
  Path caFile;

  @Option(
      names = "--influx-allow-plaintext",
      description =
          "Allow the password over http:// (only where the network itself is trusted, such as"
              + " loopback).")
  boolean allowPlaintext;

  private static final Map<String, String> OPTIONS =
      Map.of(
          "url", "--influx",
          "username", "--influx-user",
          "passwordFile", "--influx-password-file",
          "caFile", "--influx-ca");

  /**
   * The endpoint these options describe for {@code url}.
   *
   * @throws InvalidFieldException naming the option that cannot be used
   */
  public InfluxEndpoint endpoint(String url) {
    try {
      return new InfluxEndpoint(url, user, passwordFile, caFile, allowPlaintext);
    } catch (InvalidFieldException e) {
      throw new InvalidFieldException(
          OPTIONS.getOrDefault(e.field(), e.field()),
          e.expected().replace("allowPlaintext", "--influx-allow-plaintext"));
    }
  }
}
