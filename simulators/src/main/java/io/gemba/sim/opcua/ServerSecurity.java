package io.gemba.sim.opcua;

import java.nio.file.Path;
import java.util.Map;

/**
 * Security of a simulated OPC UA server, as a plant's secured controller would offer it: endpoints
 * for Basic256Sha256, Aes128_Sha256_RsaOaep and Aes256_Sha256_RsaPss in Sign and SignAndEncrypt,
 * user name and X.509 user tokens, and a PKI directory with its own certificate and trust lists.
 *
 * @param pkiDir the server's PKI: {@code own/} (its certificate, kept across restarts), {@code
 *     trusted/certs} (client application and user certificates it accepts), {@code rejected}
 * @param users user names and passwords the server accepts
 * @param allowNone also offer an endpoint with security policy None
 * @param allowAnonymous accept anonymous sessions
 */
public record ServerSecurity(
    Path pkiDir, Map<String, String> users, boolean allowNone, boolean allowAnonymous) {
  public ServerSecurity {
    users = Map.copyOf(users);
  }

  /** Secured endpoints only, with the given users and no anonymous access. */
  public static ServerSecurity securedOnly(Path pkiDir, Map<String, String> users) {
    return new ServerSecurity(pkiDir, users, false, false);
  }
}
