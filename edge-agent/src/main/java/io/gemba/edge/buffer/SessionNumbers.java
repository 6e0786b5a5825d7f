package io.gemba.edge.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's session number, one per start, kept in the buffer directory beside the envelopes it
 * numbers. Envelopes carry it with a sequence number that starts at 0 in every session, so a
 * consumer tells an agent restart (a new session) from a loss (a jump within a session) at any
 * envelope rate. A new session is the stored one plus one, and at least the current time in
 * seconds, so that numbers stay unique when the file is lost with its disk.
 */
public final class SessionNumbers {

  private static final Logger log = LoggerFactory.getLogger(SessionNumbers.class);

  static final String FILE = "session";

  private SessionNumbers() {}

  /** Starts a new session: stores its number durably before any envelope uses it. */
  public static long next(Path bufferDir, LongSupplier clockMs) {
    Path file = bufferDir.resolve(FILE);
    long stored = -1;
    if (Files.exists(file)) {
      try {
        stored = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
      } catch (IOException | NumberFormatException e) {
        log.warn("session file unreadable, new session from the clock file={}", file);
      }
    }
    long next = Math.max(stored + 1, clockMs.getAsLong() / 1000);
    Path tmp = bufferDir.resolve(FILE + ".tmp");
    try {
      Files.createDirectories(bufferDir);
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.US_ASCII)));
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the session number in " + file, e);
    }
    return next;
  }
}
