package io.gemba.edge.buffer;

import io.gemba.edge.config.ByteSize;
import io.gemba.model.config.InvalidFieldException;
import java.nio.file.Path;

/**
 * The store-and-forward buffer. Every envelope is written here before it is sent.
 *
 * @param dir where the buffer's segment files live; required
 * @param maxBytes bound of the buffer on disk (default 512MiB, at least 4MiB); when full, the
 *     oldest segment is dropped and counted
 * @param fsync sync to disk after every batch (default true); false trades power-loss safety for
 *     fewer disk writes, process crashes still lose nothing
 */
public record BufferConfig(Path dir, ByteSize maxBytes, Boolean fsync) {
  public BufferConfig {
    if (dir == null) {
      throw new InvalidFieldException("dir", "expected a directory for the buffer's files");
    }
    maxBytes = ByteSize.atLeast("maxBytes", maxBytes, ByteSize.parse("512MiB"), 4L << 20);
    fsync = fsync == null ? Boolean.TRUE : fsync;
  }

  /** Segment files are a sixteenth of the bound, at most 16 MiB. */
  public long segmentBytes() {
    return Math.min(16L << 20, maxBytes.bytes() / 16);
  }
}
