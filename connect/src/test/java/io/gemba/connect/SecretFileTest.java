package io.gemba.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gemba.model.config.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets come from files the owner alone (or the owner's group) may read. */
class SecretFileTest {

  @TempDir Path dir;

  private Path secret(String content, String permissions) throws Exception {
    Path file = dir.resolve("s-" + permissions + ".pass");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void ownerOnlyFile_isRead_withoutItsTrailingLineBreak() throws Exception {
    assertThat(SecretFile.readString("passwordFile", secret("s3cret\n", "rw-------")))
        .isEqualTo("s3cret");
    assertThat(
            new String(
                SecretFile.read("f", secret("a b\r\n", "r--r-----")), StandardCharsets.UTF_8))
        .isEqualTo("a b");
  }

  @Test
  void worldReadableFile_isRefused_withTheFieldAndTheFixNamed_andNotTheSecret() throws Exception {
    Path file = secret("s3cret", "rw-r--r--");
    assertThatThrownBy(() -> SecretFile.read("--mqtt-password-file", file))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageStartingWith("--mqtt-password-file: ")
        .hasMessageContaining("chmod 600")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void missingEmptyOrHugeFile_isRefused() throws Exception {
    assertThatThrownBy(() -> SecretFile.read("f", dir.resolve("none")))
        .hasMessageContaining("no secret file");
    assertThatThrownBy(() -> SecretFile.read("f", secret("\n", "rw-------")))
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> SecretFile.read("f", secret("x".repeat(5000), "rw-------")))
        .hasMessageContaining("more than 4096 bytes");
  }

  @Test
  void aRotatedSecret_isReadAtTheNextCall() throws Exception {
    Path file = secret("first", "rw-------");
    BrokerEndpoint endpoint = new BrokerEndpoint("ssl://b:8883", "u", file, null, false);
    assertThat(new String(endpoint.password(), StandardCharsets.UTF_8)).isEqualTo("first");
    Files.writeString(file, "second\n");
    assertThat(new String(endpoint.password(), StandardCharsets.UTF_8)).isEqualTo("second");
  }
}
