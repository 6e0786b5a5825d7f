package io.gemba.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Passwords stored as Argon2id hashes (Bouncy Castle's implementation) in the PHC string format,
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}: 19 MiB of memory and two passes, the
 * minimum OWASP recommends, so that a stolen passwords file costs an attacker memory and time for
 * every guess. A hash keeps its own parameters, so stronger ones can be adopted later without
 * invalidating the stored hashes.
 */
public final class PasswordHash {

  private static final int MEMORY_KIB = 19 * 1024;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  private PasswordHash() {}

  /** The PHC string of {@code password} with a fresh random salt. */
  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    return hash(password, salt);
  }

  static String hash(char[] password, byte[] salt) {
    byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches {@code phc}; false for a string that is not an Argon2id PHC
   * string. Takes as long as the hash's parameters say, whatever the answer.
   */
  public static boolean matches(char[] password, String phc) {
    String[] parts = phc == null ? new String[0] : phc.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    int memory;
    int iterations;
    int parallelism;
    byte[] salt;
    byte[] expected;
    try {
      String[] p = parts[3].split(",");
      memory = Integer.parseInt(p[0].substring(2));
      iterations = Integer.parseInt(p[1].substring(2));
      parallelism = Integer.parseInt(p[2].substring(2));
      salt = B64_DECODER.decode(parts[4]);
      expected = B64_DECODER.decode(parts[5]);
    } catch (RuntimeException e) {
      return false;
    }
    if (memory < 8 || memory > 1 << 21 || iterations < 1 || iterations > 10) {
      return false;
    }
    byte[] actual = argon2(password, salt, memory, iterations, parallelism, expected.length);
    return MessageDigest.isEqual(actual, expected);
  }

  private static byte[] argon2(
      char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build());
    byte[] bytes = new String(password).getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[length];
    try {
      generator.generateBytes(bytes, out);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    return out;
  }
}
