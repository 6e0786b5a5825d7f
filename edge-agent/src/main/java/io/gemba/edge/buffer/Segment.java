package io.gemba.edge.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * One file of the segment log: records of {@code [length:int][crc32:int][payload]}, the first of
 * which has index {@link #firstIndex}. The file is named after that index, so segments sort by
 * name. Record offsets are kept in memory for reads.
 */
final class Segment implements AutoCloseable {

  static final int HEADER_BYTES = 8;
  private static final String SUFFIX = ".seg";

  private final Path file;
  private final long firstIndex;
  private final FileChannel channel;
  private long[] offsets = new long[1024];
  private int count;
  private long size;

  private Segment(Path file, long firstIndex, FileChannel channel) {
    this.file = file;
    this.firstIndex = firstIndex;
    this.channel = channel;
  }

  static Path fileFor(Path dir, long firstIndex) {
    return dir.resolve(String.format("%020d%s", firstIndex, SUFFIX));
  }

  static boolean isSegment(Path file) {
    return file.getFileName().toString().endsWith(SUFFIX);
  }

  static long firstIndexOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
  }

  static Segment create(Path dir, long firstIndex) throws IOException {
    Path file = fileFor(dir, firstIndex);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Segment(file, firstIndex, channel);
  }

  /**
   * Opens an existing segment and scans it. A record cut short or failing its checksum ends the
   * segment: it and everything after it are truncated away (a write torn by a crash).
   *
   * @return the segment and how many bytes were cut off
   */
  static Opened open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment segment = new Segment(file, firstIndexOf(file), channel);
    long length = channel.size();
    long position = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    while (position + HEADER_BYTES <= length) {
      header.clear();
      channel.read(header, position);
      header.flip();
      int size = header.getInt();
      int crc = header.getInt();
      if (size < 0 || position + HEADER_BYTES + size > length) {
        break;
      }
      ByteBuffer payload = ByteBuffer.allocate(size);
      channel.read(payload, position + HEADER_BYTES);
      if (crc(payload.array()) != crc) {
        break;
      }
      segment.addOffset(position);
      position += HEADER_BYTES + size;
    }
    long cut = length - position;
    if (cut > 0) {
      channel.truncate(position);
      channel.force(true);
    }
    segment.size = position;
    return new Opened(segment, cut);
  }

  record Opened(Segment segment, long bytesCut) {}

  /** Appends a record; returns its index. */
  long append(byte[] payload) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    record.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
    long position = size;
    while (record.hasRemaining()) {
      channel.write(record, position + record.position());
    }
    addOffset(position);
    size += HEADER_BYTES + payload.length;
    return firstIndex + count - 1;
  }

  byte[] read(long index) throws IOException {
    int slot = (int) (index - firstIndex);
    long position = offsets[slot];
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    channel.read(header, position);
    header.flip();
    ByteBuffer payload = ByteBuffer.allocate(header.getInt());
    while (payload.hasRemaining()) {
      if (channel.read(payload, position + HEADER_BYTES + payload.position()) < 0) {
        throw new IOException("segment " + file + " ends inside record " + index);
      }
    }
    return payload.array();
  }

  void force() throws IOException {
    channel.force(false);
  }

  private void addOffset(long position) {
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    offsets[count++] = position;
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  long firstIndex() {
    return firstIndex;
  }

  /** One past the last index in this segment. */
  long endIndex() {
    return firstIndex + count;
  }

  int count() {
    return count;
  }

  long size() {
    return size;
  }

  void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
