package io.gemba.edge.southbound.opcua;

import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;

/**
 * The user an OPC UA session is opened as: either a user name with a password read from a file, or
 * an X.509 user certificate with its private key. Secrets never appear in the gateway file itself.
 *
 * @param username user name token
 * @param passwordFile file holding the password (trailing newline ignored)
 * @param certificateFile X.509 user certificate, DER or PEM
 * @param privateKeyFile its private key, PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----})
 */
public record UserIdentity(
    String username, Path passwordFile, Path certificateFile, Path privateKeyFile) {
  public UserIdentity {
    boolean named = username != null || passwordFile != null;
    boolean certified = certificateFile != null || privateKeyFile != null;
    if (named && certified) {
      throw new InvalidFieldException(
          "username",
          "expected either username with passwordFile or certificateFile with privateKeyFile, not"
              + " both");
    }
    if (!named && !certified) {
      throw new InvalidFieldException(
          "username",
          "expected username with passwordFile, or certificateFile with privateKeyFile");
    }
    if (named) {
      if (username == null || username.isBlank()) {
        throw new InvalidFieldException("username", "expected a user name with passwordFile");
      }
      if (passwordFile == null) {
        throw new InvalidFieldException(
            "passwordFile", "expected the file holding the password of user '" + username + "'");
      }
    } else {
      if (certificateFile == null) {
        throw new InvalidFieldException(
            "certificateFile", "expected the user certificate file with privateKeyFile");
      }
      if (privateKeyFile == null) {
        throw new InvalidFieldException(
            "privateKeyFile", "expected the private key file of the user certificate");
      }
    }
  }

  /** True for a user name token, false for an X.509 user token. */
  public boolean isUsername() {
    return username != null;
  }
}
