package io.gemba.edge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new session number at every start, stored before use, unique even when its file is lost. */
class SessionNumbersTest {

  @TempDir Path dir;

  @Test
  void everyStartGetsTheNextNumber_atLeastTheClockInSeconds() throws Exception {
    long clock = 1_795_000_000_123L;
    long first = SessionNumbers.next(dir, () -> clock);
    assertThat(first).isEqualTo(1_795_000_000L);
    // Restarted within the same second: still a new session.
    assertThat(SessionNumbers.next(dir, () -> clock)).isEqualTo(first + 1);
    assertThat(Files.readString(dir.resolve("session")).strip())
        .isEqualTo(String.valueOf(first + 1));
    // A clock set back does not reuse a number.
    assertThat(SessionNumbers.next(dir, () -> 5_000L)).isEqualTo(first + 2);
    // The file lost with its disk: the clock, later than any number used so far, takes over.
    Files.delete(dir.resolve("session"));
    assertThat(SessionNumbers.next(dir, () -> clock + 60_000)).isEqualTo(first + 60);
    // A damaged file: the clock again.
    Files.writeString(dir.resolve("session"), "garbage");
    assertThat(SessionNumbers.next(dir, () -> clock + 120_000)).isEqualTo(first + 120);
  }
}
