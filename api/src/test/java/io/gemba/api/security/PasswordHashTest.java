package io.gemba.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Password hashes against the reference implementation of Argon2 (Debian's {@code argon2} command,
 * the C code of its authors): what it computes, Gemba accepts, and computes the same.
 */
class PasswordHashTest {

  /** The reference implementation's PHC string for {@code password} and an ASCII salt. */
  private static String reference(String password, String salt) throws Exception {
    Process p =
        new ProcessBuilder(
                "argon2", salt, "-id", "-t", "2", "-k", "19456", "-p", "1", "-l", "32", "-e")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void aHashOfTheReferenceImplementation_matchesItsPassword_only() throws Exception {
    String phc = reference("correct horse battery", "plant-salt-0001");
    assertThat(PasswordHash.matches("correct horse battery".toCharArray(), phc)).isTrue();
    assertThat(PasswordHash.matches("correct horse batterY".toCharArray(), phc)).isFalse();
    assertThat(PasswordHash.matches("".toCharArray(), phc)).isFalse();
  }

  @Test
  void gembaComputes_whatTheReferenceComputes_forTheSameSalt() throws Exception {
    String salt = "another-salt-42";
    assertThat(
            PasswordHash.hash(
                "密码 with ünïcode".toCharArray(), salt.getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(reference("密码 with ünïcode", salt));
  }

  @Test
  void freshHashes_useARandomSaltAndMatch() {
    String a = PasswordHash.hash("s3cret-enough".toCharArray());
    String b = PasswordHash.hash("s3cret-enough".toCharArray());
    assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
    assertThat(PasswordHash.matches("s3cret-enough".toCharArray(), a)).isTrue();
    assertThat(PasswordHash.matches("s3cret-enough".toCharArray(), "$2a$10$not-argon")).isFalse();
  }
}
