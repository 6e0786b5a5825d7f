package io.gemba.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The passwords file holds a line per user: a plant's staff, not one secret. */
class PasswordsFileTest {

  @TempDir Path dir;

  @Test
  void holdsThePasswordsOfAPlantsStaff_andRefusesAMalformedLineByNumber() throws Exception {
    String hash = PasswordHash.hash("one password for the file".toCharArray());
    int users = 500; // about 55 KB of name:hash lines
    Path file = dir.resolve("passwords");
    Files.writeString(
        file,
        IntStream.range(0, users)
            .mapToObj(i -> "engineer-" + i + ":" + hash)
            .collect(Collectors.joining("\n", "# staff\n", "\n")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    PasswordsFile passwords = new PasswordsFile(file);
    assertThat(passwords.hashOf("engineer-0")).contains(hash);
    assertThat(passwords.hashOf("engineer-" + (users - 1))).contains(hash);
    assertThat(passwords.hashOf("engineer-" + users)).isEmpty();

    Files.writeString(file, "engineer-0:" + hash + "\nno colon here\n");
    assertThatThrownBy(() -> passwords.hashOf("engineer-0"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("--passwords")
        .hasMessageContaining("line 2");
  }
}
