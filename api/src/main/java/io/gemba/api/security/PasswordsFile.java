package io.gemba.api.security;

import io.gemba.connect.SecretFile;
import io.gemba.model.config.InvalidFieldException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The password hashes of the users who sign in, one {@code name:hash} line each ({@link
 * PasswordHash}), in a file of their own beside the users file: the users file says who may do what
 * and may be readable by many (a Kubernetes ConfigMap); the hashes are secrets (a Secret, readable
 * by the API only). The file is read at every sign-in, so a password set with {@code api passwd}
 * counts at once.
 */
public final class PasswordsFile {

  /** The largest passwords file read: about 9,000 users' lines. */
  static final int MAX_BYTES = 1 << 20;

  private final Path file;

  public PasswordsFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The hash of {@code user}'s password; empty when the user has none, or there is no file. */
  public Optional<String> hashOf(String user) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.ofNullable(read().get(user));
  }

  /**
   * Sets {@code user}'s password: its hash replaces the user's line, or is added; the file is
   * written anew, owner-readable only, in one step.
   */
  public void set(String user, char[] password) throws IOException {
    Map<String, String> hashes = Files.exists(file) ? read() : new LinkedHashMap<>();
    hashes.put(user, PasswordHash.hash(password));
    StringBuilder out =
        new StringBuilder("# Gemba API passwords (api passwd): user:argon2id hash\n");
    hashes.forEach((name, hash) -> out.append(name).append(':').append(hash).append('\n'));
    SecretFile.writeOwnerOnly(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> read() {
    Map<String, String> hashes = new LinkedHashMap<>();
    String text = SecretFile.readString("--passwords", file, MAX_BYTES);
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon < 1) {
        throw new InvalidFieldException(
            "--passwords", file + " line " + number + ": expected user:hash");
      }
      hashes.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
    }
    return hashes;
  }
}
