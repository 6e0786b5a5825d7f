package io.gemba.connect;

import io.gemba.model.config.InvalidFieldException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * A secret kept in a file of its own (a password, a key): never on a command line, in an
 * environment variable or in a log. The file is read each time the secret is needed, so a rotated
 * secret is used from the next connection on without a restart.
 *
 * <p>A secret file that every user of the machine may read is refused: group-readable is allowed
 * (Kubernetes mounts secrets 0440 with an {@code fsGroup}), world-readable is not.
 */
public final class SecretFile {

  /** The largest secret accepted, in bytes; a bigger file is not a password. */
  static final int MAX_BYTES = 4096;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFile() {}

  /**
   * The secret in {@code file}, without a trailing line break.
   *
   * @param field the option or configuration field that names the file, for messages
   * @throws InvalidFieldException naming {@code field} when the file is missing, unreadable,
   *     readable by every user, empty or too large; the message never holds the secret
   */
  public static byte[] read(String field, Path file) {
    return read(field, file, MAX_BYTES);
  }

  /**
   * {@link #read(String, Path)} of a file of up to {@code maxBytes}: one that holds many secrets,
   * such as the API's passwords file.
   */
  public static byte[] read(String field, Path file, int maxBytes) {
    checkPermissions(field, file);
    byte[] bytes;
    try {
      if (Files.size(file) > maxBytes) {
        throw new InvalidFieldException(
            field,
            file
                + " holds more than "
                + maxBytes
                + " bytes"
                + (maxBytes == MAX_BYTES ? ": expected one secret" : ""));
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidFieldException(field, "no secret file " + file);
    } catch (IOException e) {
      throw new InvalidFieldException(field, "cannot read secret file " + file + ": " + e);
    }
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      end--;
    }
    byte[] secret = Arrays.copyOf(bytes, end);
    Arrays.fill(bytes, (byte) 0);
    if (secret.length == 0) {
      throw new InvalidFieldException(field, "secret file " + file + " is empty");
    }
    return secret;
  }

  /** {@link #read(String, Path)} as text (UTF-8). */
  public static String readString(String field, Path file) {
    return readString(field, file, MAX_BYTES);
  }

  /** {@link #read(String, Path, int)} as text (UTF-8). */
  public static String readString(String field, Path file, int maxBytes) {
    byte[] secret = read(field, file, maxBytes);
    try {
      return new String(secret, StandardCharsets.UTF_8);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Writes {@code secret} to {@code file} readable and writable by the owner only, in one step: the
   * bytes go to a new owner-only file beside it, which then replaces {@code file}, so that no
   * reader ever sees the secret with wider permissions or half written.
   */
  public static void writeOwnerOnly(Path file, byte[] secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createOwnerOnlyDirectories(dir);
    Path staging;
    try {
      staging =
          Files.createTempFile(
              dir,
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      staging = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    }
    try {
      Files.write(staging, secret);
      Files.move(
          staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  /**
   * A new random secret of {@code bytes} random bytes, as URL-safe Base64 without padding: safe in
   * a password file, a YAML value and an HTTP header.
   */
  public static String random(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /**
   * Writes a new {@link #random} secret of {@code bytes} bytes to {@code file}, owner-only, unless
   * the file exists already.
   *
   * @return whether a new secret was written
   */
  public static boolean writeRandomIfAbsent(Path file, int bytes) throws IOException {
    if (Files.exists(file)) {
      return false;
    }
    writeOwnerOnly(file, random(bytes).getBytes(StandardCharsets.US_ASCII));
    return true;
  }

  /** Creates {@code dir} and its missing parents, those it creates for their owner only. */
  public static void createOwnerOnlyDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  /** Refuses a secret file that others may read; where POSIX permissions do not exist, passes. */
  static void checkPermissions(String field, Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw new InvalidFieldException(field, "no secret file " + file);
    } catch (UnsupportedOperationException e) {
      return;
    } catch (IOException e) {
      throw new InvalidFieldException(field, "cannot read secret file " + file + ": " + e);
    }
    if (permissions.contains(PosixFilePermission.OTHERS_READ)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new InvalidFieldException(
          field,
          "secret file "
              + file
              + " may be read or written by every user of this machine; make it the owner's"
              + " only (chmod 600 "
              + file
              + ")");
    }
  }
}
